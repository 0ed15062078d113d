package io.memkit.pools.internal;

import static io.memkit.pools.internal.Bytecode.codeLength;
import static io.memkit.pools.internal.Bytecode.vmOption;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Guards the bytecode sizes that let C2 remove the {@code Pooled} handle (0 B/op): see
 * {@link StripedObjectPool#giveBack}. A refactoring that breaks them fails here, not silently in
 * a benchmark.
 */
class ObjectPoolInliningTest {

    @Test
    void giveBackIsTooBigToBeInlinedIntoClose() {
        assertThat(codeLength(StripedObjectPool.class, "giveBack"))
                .as("StripedObjectPool.giveBack must stay above C2's FreqInlineSize; see its Javadoc")
                .isGreaterThan(vmOption("FreqInlineSize", 325));
    }

    @Test
    void handleMethodsInlineEvenAtColdCallSites() {
        int maxInline = vmOption("MaxInlineSize", 35);
        // Trivial methods inline even at call sites never run (a try-with-resources' exceptional exit).
        assertThat(codeLength(PooledObject.class, "close")).as("PooledObject.close")
                .isLessThanOrEqualTo(vmOption("MaxTrivialSize", 6));
        assertThat(codeLength(PooledObject.class, "end")).as("PooledObject.end").isLessThanOrEqualTo(maxInline);
        assertThat(codeLength(PooledObject.class, "get")).as("PooledObject.get").isLessThanOrEqualTo(maxInline);
    }
}
