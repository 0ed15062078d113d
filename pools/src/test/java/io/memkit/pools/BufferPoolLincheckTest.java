package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of acquire, close, retain and refCount on a small pool, and the counters at
 * quiescence against a model (live leases and bytes in use).
 *
 * <p>The cap (16 KiB) is small enough that a scenario reaches it: two 4096-byte leases and a
 * 5000-byte one do not fit beside the 112-byte class's slab, so an acquire must trim idle slabs and
 * carve again (re-carve), or fail ({@link Exhausted#FAIL}, returned as {@code -1}).
 *
 * <p>Two leases are shared by all threads (closed, retained and read concurrently); leases acquired
 * in the scenario belong to the acquiring thread, which alone closes them. {@code stats()} is a sum
 * of striped counters, exact at quiescence but not a linearizable snapshot, so it is checked in
 * {@link #countersMatchTheLiveLeases()} after each run rather than as an operation.
 */
@Param(name = "lease", gen = IntGen.class, conf = "0:1")
@Param(name = "size", gen = IntGen.class, conf = "0:2")
public class BufferPoolLincheckTest {

    private static final int[] SIZES = {100, 4096, 5000};
    private static final int MAX_BYTES = 16 * 1024;

    private final BufferPool pool = BufferPool.builder().name("lincheck").maxBytes(MAX_BYTES).maxPooledCapacity(4096)
            .leakDetection(LeakDetection.OFF).build();
    private final PooledBuffer[] shared = {pool.acquire(100), pool.acquire(5000)};
    /** Per Lincheck thread id; the ids of the initial and final parts may exceed the parallel threads. */
    @SuppressWarnings("unchecked")
    private final List<PooledBuffer>[] own = new List[] {new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>(), new ArrayList<>()};

    @Operation
    public int acquire(@Param(gen = ThreadIdGen.class) int thread, @Param(name = "size") int size) {
        PooledBuffer b;
        try {
            b = pool.acquire(SIZES[size]);
        } catch (PoolExhaustedException e) {
            return -1;
        }
        own[thread].add(b);
        return b.capacity();
    }

    @Operation
    public boolean closeOwn(@Param(gen = ThreadIdGen.class) int thread) {
        List<PooledBuffer> mine = own[thread];
        if (mine.isEmpty()) {
            return false;
        }
        mine.remove(mine.size() - 1).close();
        return true;
    }

    @Operation
    public String close(@Param(name = "lease") int lease) {
        try {
            shared[lease].close();
            return "closed";
        } catch (IllegalStateException e) {
            return "already released";
        }
    }

    @Operation
    public String retain(@Param(name = "lease") int lease) {
        try {
            shared[lease].retain();
            return "retained";
        } catch (IllegalStateException e) {
            return "already released";
        }
    }

    @Operation
    public int refCount(@Param(name = "lease") int lease) {
        return shared[lease].refCount();
    }

    @Validate
    public void countersMatchTheLiveLeases() {
        long live = 0;
        long bytes = 0;
        for (PooledBuffer b : shared) {
            if (!b.isReleased()) {
                live++;
                bytes += b.capacity() == 100 ? 112 : 5000;
            }
        }
        for (List<PooledBuffer> mine : own) {
            for (PooledBuffer b : mine) {
                live++;
                bytes += b.capacity() == 100 ? 112 : b.capacity();
            }
        }
        BufferPoolStats s = pool.stats();
        if (s.liveLeases() != live || s.bytesInUse() != bytes || s.acquires() != s.releases() + s.liveLeases()
                || s.bytesReserved() != s.bytesInUse() + s.bytesIdle() || s.bytesReserved() > MAX_BYTES) {
            throw new IllegalStateException("counters " + s + " disagree with " + live + " live leases of " + bytes
                    + " bytes");
        }
    }

    @Test
    void stress() {
        new StressOptions().iterations(3).invocationsPerIteration(40).threads(2).actorsPerThread(3)
                .actorsBefore(1).actorsAfter(1).check(getClass());
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(2).invocationsPerIteration(10).threads(2).actorsPerThread(2)
                .actorsBefore(1).actorsAfter(1).check(getClass());
    }

    @Test
    void theCapIsReachedAndMemoryReCarved() {
        BufferPoolLincheckTest t = new BufferPoolLincheckTest();
        assertThat(t.acquire(0, 0)).isEqualTo(100);
        assertThat(t.closeOwn(0)).isTrue();
        // the 112-byte slab took the rest of the budget: this needs a trim and a new slab
        assertThat(t.acquire(0, 1)).isEqualTo(4096);
        assertThat(t.acquire(1, 1)).isEqualTo(4096);
        assertThat(t.acquire(1, 2)).isEqualTo(-1);
        assertThat(t.pool.stats().exhausted()).isEqualTo(1);
        assertThat(t.pool.stats().misses()).isGreaterThanOrEqualTo(3);
        t.countersMatchTheLiveLeases();
    }

    @Test
    void theModelItselfIsConsistent() {
        BufferPoolLincheckTest t = new BufferPoolLincheckTest();
        assertThat(t.acquire(0, 0)).isEqualTo(100);
        assertThat(t.retain(1)).isEqualTo("retained");
        assertThat(t.close(1)).isEqualTo("closed");
        assertThat(t.close(1)).isEqualTo("closed");
        assertThat(t.close(1)).isEqualTo("already released");
        assertThat(t.refCount(1)).isZero();
        t.countersMatchTheLiveLeases();
        assertThat(t.closeOwn(0)).isTrue();
        assertThat(t.closeOwn(0)).isFalse();
        t.countersMatchTheLiveLeases();
    }
}
