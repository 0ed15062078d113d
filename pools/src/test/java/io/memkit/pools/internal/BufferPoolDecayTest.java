package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.pools.BufferPool;
import io.memkit.pools.BufferPoolStats;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.PooledBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Idle decay of a BufferPool, driven by a test clock: no test here sleeps. */
class BufferPoolDecayTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long HALF = TIMEOUT.toNanos() / 2;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private DirectBufferPool pool(long maxBytes) {
        return (DirectBufferPool) new BufferPoolBuilder().name("decay").maxBytes(maxBytes)
                .leakDetection(LeakDetection.OFF).idleTimeout(TIMEOUT).clock(now::get).build();
    }

    /** Moves the clock half a timeout on and polls the pool's decay; returns whether a step ran. */
    private boolean halfTimeoutPasses(DirectBufferPool pool) {
        now.addAndGet(HALF);
        return pool.decay().poll();
    }

    private static List<PooledBuffer> acquire(BufferPool pool, int count, int capacity) {
        List<PooledBuffer> leases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leases.add(pool.acquire(capacity));
        }
        return leases;
    }

    private static void closeAll(List<PooledBuffer> leases) {
        leases.forEach(PooledBuffer::close);
    }

    @Test
    void afterABurstHeldMemoryFallsToTheLiveSetWithinTwoTimeoutsAndNotBeforeOne() {
        try (DirectBufferPool pool = pool(64 << 20)) {
            List<PooledBuffer> live = acquire(pool, 64, 4096);
            long liveBytes = pool.stats().bytesInUse();
            closeAll(acquire(pool, 4096, 4096));
            closeAll(acquire(pool, 64, 64 * 1024));
            long burst = pool.stats().bytesReserved();
            assertThat(burst).isGreaterThan(20L << 20);

            // Idle for a whole timeout, with a trickle of one lease of each size per half timeout.
            for (int step = 1; step <= 2; step++) {
                pool.acquire(4096).close();
                pool.acquire(64 * 1024).close();
                assertThat(halfTimeoutPasses(pool)).isTrue();
                assertThat(pool.stats().bytesReserved()).as("held after %d half timeouts", step).isEqualTo(burst);
            }
            pool.acquire(4096).close();
            pool.acquire(64 * 1024).close();
            assertThat(halfTimeoutPasses(pool)).isTrue();
            // One and a half timeouts: the live set, the slab each trickle lease comes from, no more.
            BufferPoolStats s = pool.stats();
            assertThat(s.bytesReserved()).as("held vs live set %d", liveBytes)
                    .isLessThanOrEqualTo(liveBytes * 3 / 2 + 64 * 1024);
            assertThat(s.bytesInUse()).isEqualTo(liveBytes);
            for (PooledBuffer b : live) {
                b.byteBuffer().putInt(0, 42);
                assertThat(b.byteBuffer().getInt(0)).isEqualTo(42);
            }
            closeAll(live);
            assertThat(pool.stats().liveLeases()).isZero();
        }
    }

    @Test
    void memoryInUseNeverDecays() {
        try (DirectBufferPool pool = pool(64 << 20)) {
            List<PooledBuffer> small = acquire(pool, 1000, 1000);
            List<PooledBuffer> large = acquire(pool, 20, 200_000);
            for (int i = 0; i < small.size(); i++) {
                small.get(i).byteBuffer().putInt(0, i);
            }
            long held = pool.stats().bytesReserved();
            for (int step = 0; step < 20; step++) {
                assertThat(halfTimeoutPasses(pool)).isTrue();
            }
            assertThat(pool.stats().bytesReserved()).isEqualTo(held);
            assertThat(pool.stats().bytesIdle()).isLessThan(64 * 1024);
            for (int i = 0; i < small.size(); i++) {
                assertThat(small.get(i).byteBuffer().getInt(0)).isEqualTo(i);
            }
            closeAll(small);
            closeAll(large);
        }
    }

    @Test
    void aSteadyLoadKeepsItsWorkingSetAndCarvesNothingNew() {
        try (DirectBufferPool pool = pool(64 << 20)) {
            closeAll(acquire(pool, 2000, 4096)); // a burst first: its excess goes, the working set stays
            long missesAfterWarmup = -1;
            for (int step = 0; step < 40; step++) {
                // Each half timeout the load needs 300 blocks at once.
                closeAll(acquire(pool, 300, 4096));
                assertThat(halfTimeoutPasses(pool)).isTrue();
                if (step == 3) {
                    missesAfterWarmup = pool.stats().misses();
                }
            }
            BufferPoolStats s = pool.stats();
            assertThat(s.misses()).as("blocks carved anew once the burst's excess was gone").isEqualTo(missesAfterWarmup);
            assertThat(s.bytesReserved()).isBetween(300L * 4096, 2L * 300 * 4096);
        }
    }

    @Test
    void theClockDecidesWhenAStepRuns() {
        try (DirectBufferPool pool = pool(64 << 20)) {
            closeAll(acquire(pool, 1000, 4096));
            long held = pool.stats().bytesReserved();
            now.addAndGet(HALF - 1);
            assertThat(pool.decay().poll()).isFalse();
            now.addAndGet(1);
            assertThat(pool.decay().poll()).isTrue();
            assertThat(pool.decay().poll()).as("a second poll at the same time").isFalse();
            assertThat(pool.decay().steps()).isEqualTo(1);
            assertThat(pool.stats().bytesReserved()).isEqualTo(held);
        }
    }

    @Test
    void zeroTurnsDecayOffAndBadTimeoutsAreRefused() {
        try (DirectBufferPool pool = (DirectBufferPool) new BufferPoolBuilder().maxBytes(1 << 20)
                .idleTimeout(Duration.ZERO).build()) {
            assertThat(pool.decay()).isNull();
        }
        assertThatThrownBy(() -> BufferPool.builder().idleTimeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.005S");
        assertThatThrownBy(() -> BufferPool.builder().idleTimeout(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aClosedPoolStopsDecaying() {
        DirectBufferPool pool = pool(1 << 20);
        closeAll(acquire(pool, 10, 4096));
        pool.close();
        assertThat(halfTimeoutPasses(pool)).isFalse();
        assertThat(pool.stats().bytesReserved()).isZero();
    }

    @Test
    void theSharedThreadDecaysAQuietPoolOnTheRealClock() throws InterruptedException {
        try (BufferPool pool = BufferPool.builder().maxBytes(16 << 20).idleTimeout(Duration.ofMillis(100))
                .leakDetection(LeakDetection.OFF).build()) {
            closeAll(acquire(pool, 1000, 4096));
            assertThat(pool.stats().bytesReserved()).isGreaterThanOrEqualTo(1000L * 4096);
            // Bounded wait for the daemon: 150 ms are enough; a loaded machine may take longer.
            for (int i = 0; i < 500 && pool.stats().bytesReserved() > 0; i++) {
                Thread.sleep(20);
            }
            assertThat(pool.stats().bytesReserved()).isZero();
        }
    }

    @Test
    void atTheCapIdleSlabsOfOneClassAreReCarvedForAnother() {
        try (DirectBufferPool pool = (DirectBufferPool) new BufferPoolBuilder().maxBytes(1 << 20)
                .leakDetection(LeakDetection.OFF).idleTimeout(Duration.ZERO).build()) {
            for (int round = 0; round < 6; round++) {
                int capacity = round % 2 == 0 ? 4096 : 64 * 1024;
                List<PooledBuffer> fill = acquire(pool, (1 << 20) / capacity, capacity);
                for (PooledBuffer b : fill) {
                    b.byteBuffer().put(capacity - 1, (byte) round);
                }
                assertThat(pool.stats().bytesInUse()).isEqualTo(1 << 20);
                closeAll(fill);
            }
            BufferPoolStats s = pool.stats();
            assertThat(s.exhausted()).isZero();
            assertThat(s.peakBytesReserved()).isEqualTo(1 << 20);
            assertThat(pool.trim()).isEqualTo(1 << 20);
            assertThat(pool.stats().bytesReserved()).isZero();
        }
    }
}
