package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;

import io.memkit.meter.MemoryMeter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Once the JIT has compiled acquire and close together, a loan allocates no heap: the
 * {@link Pooled} handle is scalar-replaced, also where the try block calls code the JIT does not
 * inline, and under SAMPLED leak detection for the loans that are not tracked. JIT-dependent, so
 * the test warms up in rounds, bounded, and fails with the figure it saw; it runs in a JVM of its
 * own (see pools/pom.xml), one loop per body so that each has its own profile.
 */
class ObjectPoolAllocationTest {

    private static long sink;
    private static final Object LOCK = new Object();

    private static ObjectPool<StringBuilder> pool(LeakDetection level) {
        return ObjectPool.builder(() -> new StringBuilder(64)).reset(sb -> sb.setLength(0))
                .leakDetection(level).maxTotal(8).build();
    }

    private static void inlinedBody(ObjectPool<StringBuilder> pool, int times) {
        for (int i = 0; i < times; i++) {
            try (Pooled<StringBuilder> sb = pool.acquire()) {
                sink += sb.get().length();
            }
        }
    }

    private static void outOfLineCallInBody(ObjectPool<StringBuilder> pool, int times) {
        for (int i = 0; i < times; i++) {
            try (Pooled<StringBuilder> sb = pool.acquire()) {
                // A native method: never inlined, may throw, so the try block has an exceptional exit.
                if (Thread.holdsLock(LOCK)) {
                    sink++;
                }
                sink += sb.get().length();
            }
        }
    }

    private interface Loop {
        void run(ObjectPool<StringBuilder> pool, int times);
    }

    /** Bytes per acquire+close after warm-up: the best of up to 30 rounds of 100,000, until below goal. */
    private static double bytesPerLoan(ObjectPool<StringBuilder> pool, double goal, Loop loop) {
        Assumptions.assumeTrue(MemoryMeter.isSupported(), "no per-thread allocation counter in this JVM");
        int n = 100_000;
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 30 && best >= goal; round++) {
            loop.run(pool, n);
            long before = MemoryMeter.threadAllocatedBytes();
            loop.run(pool, n);
            long after = MemoryMeter.threadAllocatedBytes();
            best = Math.min(best, (after - before) / (double) n);
        }
        return best;
    }

    @Test
    void acquireAndCloseAllocateNothingOnceCompiled() {
        try (ObjectPool<StringBuilder> pool = pool(LeakDetection.OFF)) {
            assertThat(bytesPerLoan(pool, 0.01, ObjectPoolAllocationTest::inlinedBody))
                    .as("heap bytes per acquire+close, leak detection OFF").isLessThan(0.01);
        }
    }

    @Test
    void aCallTheJitDoesNotInlineInTheTryBlockStillAllocatesNothing() {
        try (ObjectPool<StringBuilder> pool = pool(LeakDetection.OFF)) {
            assertThat(bytesPerLoan(pool, 0.01, ObjectPoolAllocationTest::outOfLineCallInBody))
                    .as("heap bytes per acquire+close around an out-of-line call").isLessThan(0.01);
        }
    }

    @Test
    void sampledTrackingCostsOnlyTheTrackedLoans() {
        try (ObjectPool<StringBuilder> pool = pool(LeakDetection.SAMPLED)) {
            // One loan in 128 is tracked (its stack, record and reference: 7-18 B amortized under
            // JUnit's deep stack). If untracked handles (24 bytes) were allocated, it would be above 24.
            assertThat(bytesPerLoan(pool, 24, ObjectPoolAllocationTest::inlinedBody))
                    .as("heap bytes per acquire+close, SAMPLED").isLessThan(24);
        }
    }
}
