package io.memkit.pools.internal;

import static io.memkit.pools.internal.Bytecode.codeLength;
import static io.memkit.pools.internal.Bytecode.vmOption;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Guards the bytecode sizes that keep {@link DirectBufferPool#acquire(int)} small enough for C2 to
 * inline into its callers, which is what lets escape analysis remove the lease handle: see
 * {@code DirectBufferPool.acquireSlow}. A refactoring that breaks them fails here, not silently in
 * a benchmark.
 */
class BufferPoolInliningTest {

    @Test
    void theSlowPathIsTooBigToBeInlinedIntoAcquire() {
        assertThat(codeLength(DirectBufferPool.class, "acquireSlow"))
                .as("DirectBufferPool.acquireSlow must stay above C2's FreqInlineSize; see its Javadoc")
                .isGreaterThan(vmOption("FreqInlineSize", 325));
    }

    @Test
    void theHitPathStaysInlinable() {
        int freq = vmOption("FreqInlineSize", 325);
        assertThat(codeLength(DirectBufferPool.class, "acquire")).as("acquire").isLessThanOrEqualTo(freq);
        assertThat(codeLength(MagazineCache.class, "pop")).as("MagazineCache.pop").isLessThanOrEqualTo(freq);
        // Trivial methods inline even at call sites never run (a try-with-resources' exceptional exit).
        assertThat(codeLength(Lease.class, "close")).as("Lease.close").isLessThanOrEqualTo(vmOption("MaxTrivialSize", 6));
        assertThat(codeLength(Lease.class, "end")).as("Lease.end").isLessThanOrEqualTo(freq);
    }
}
