package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;

import io.memkit.testing.BufferPoolCaller;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BufferPoolLeakTest {

    private final List<LeakReport> reports = new CopyOnWriteArrayList<>();

    private BufferPool paranoid(String name) {
        return BufferPool.builder().name(name).leakDetection(LeakDetection.PARANOID).leakListener(reports::add)
                .build();
    }

    /** Collects garbage until the pool has handled a leak, bounded: 50 tries. */
    private void awaitLeak(BufferPool pool) throws InterruptedException {
        for (int i = 0; i < 50 && reports.isEmpty(); i++) {
            System.gc();
            Thread.sleep(20); // lets the reference handler enqueue; not synchronization: stats() polls
            pool.stats();
        }
        assertThat(reports).as("no leak was reported after 50 GCs").isNotEmpty();
    }

    @Test
    void aLeakedLeaseIsReportedAndItsMemoryReclaimed() throws InterruptedException {
        try (BufferPool pool = paranoid("leaky")) {
            BufferPoolCaller.acquireAndDrop(pool, 3000, false);
            assertThat(pool.outstanding()).hasSize(1);
            assertThat(pool.stats().bytesInUse()).isEqualTo(3072);
            awaitLeak(pool);
            LeakReport r = reports.get(0);
            assertThat(r.poolName()).isEqualTo("leaky");
            assertThat(r.capacity()).isEqualTo(3000);
            assertThat(r.reclaimed()).isTrue();
            assertThat(r.acquiredAt()[0].getClassName()).isEqualTo(BufferPoolCaller.class.getName());
            BufferPoolStats s = pool.stats();
            assertThat(s.leaksDetected()).isEqualTo(1);
            assertThat(s.liveLeases()).isZero();
            assertThat(s.bytesInUse()).isZero();
            assertThat(s.bytesQuarantined()).isZero();
            assertThat(pool.outstanding()).isEmpty();
            // the reclaimed block is served again
            pool.acquire(3000).close();
            assertThat(pool.stats().hits()).isEqualTo(1);
        }
    }

    @Test
    void aLeakedLeaseWhoseRawViewEscapedIsQuarantined() throws InterruptedException {
        try (BufferPool pool = paranoid("raw")) {
            BufferPoolCaller.acquireAndDrop(pool, 4096, true);
            awaitLeak(pool);
            assertThat(reports.get(0).reclaimed()).isFalse();
            BufferPoolStats s = pool.stats();
            assertThat(s.leaksDetected()).isEqualTo(1);
            assertThat(s.liveLeases()).isZero();
            assertThat(s.bytesInUse()).isZero();
            assertThat(s.bytesQuarantined()).isEqualTo(4096);
            assertThat(s.bytesReserved()).isEqualTo(s.bytesInUse() + s.bytesIdle() + s.bytesQuarantined());
            // quarantined memory is never handed out again, nor trimmed
            pool.trim();
            assertThat(pool.stats().bytesQuarantined()).isEqualTo(4096);
            assertThat(pool.stats().bytesReserved()).isEqualTo(64 * 1024);
        }
    }

    @Test
    void aLeakedDedicatedLeaseIsReclaimed() throws InterruptedException {
        try (BufferPool pool = BufferPool.builder().maxPooledCapacity(1024).leakDetection(LeakDetection.PARANOID)
                .leakListener(reports::add).build()) {
            BufferPoolCaller.acquireAndDrop(pool, 5000, false);
            awaitLeak(pool);
            assertThat(reports.get(0).reclaimed()).isTrue();
            assertThat(pool.stats().bytesReserved()).isZero();
        }
    }

    @Test
    void aFailingListenerDoesNotBreakThePool() throws InterruptedException {
        try (BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.PARANOID).leakListener(r -> {
            reports.add(r);
            throw new IllegalStateException("listener bug");
        }).build()) {
            BufferPoolCaller.acquireAndDrop(pool, 10, false);
            awaitLeak(pool);
            assertThat(pool.stats().leaksDetected()).isEqualTo(1);
            pool.acquire(10).close();
        }
    }

    @Test
    void sampledTracksAboutOneLeaseIn128AndOffNone() {
        try (BufferPool sampled = BufferPool.builder().build();
                BufferPool off = BufferPool.builder().leakDetection(LeakDetection.OFF).build()) {
            List<PooledBuffer> held = new java.util.ArrayList<>();
            for (int i = 0; i < 1280; i++) {
                held.add(sampled.acquire(16));
                held.add(off.acquire(16));
            }
            assertThat(sampled.outstanding()).hasSize(10);
            assertThat(off.outstanding()).isEmpty();
            held.forEach(PooledBuffer::close);
            assertThat(sampled.outstanding()).isEmpty();
        }
    }

    /**
     * Leaks one lease per attempt in a fresh pool, collects garbage, then runs {@code op}: the leak
     * must be handled by that call alone. Bounded: 50 attempts, one GC and 20 ms for the reference
     * handler each (the pause is not synchronization: the attempt is simply retried).
     */
    private void leakIsHandledBy(java.util.function.Consumer<BufferPool> op) throws InterruptedException {
        for (int attempt = 0; attempt < 50 && reports.isEmpty(); attempt++) {
            BufferPool pool = paranoid("leak-" + attempt);
            try {
                BufferPoolCaller.acquireAndDrop(pool, 2000, false);
                System.gc();
                Thread.sleep(20);
                op.accept(pool);
                if (!reports.isEmpty()) {
                    assertThat(reports.get(0).poolName()).isEqualTo("leak-" + attempt);
                    assertThat(reports.get(0).reclaimed()).isTrue();
                    assertThat(pool.stats().leaksDetected()).isEqualTo(1);
                    assertThat(pool.stats().bytesInUse()).isZero();
                }
            } finally {
                pool.close();
            }
        }
        assertThat(reports).as("no leak handled after 50 attempts").hasSize(1);
    }

    @Test
    void aTrackedAcquireHandlesLeaks() throws InterruptedException {
        leakIsHandledBy(pool -> pool.acquire(10).close());
    }

    @Test
    void outstandingHandlesLeaks() throws InterruptedException {
        leakIsHandledBy(pool -> {
            List<LeaseInfo> live = pool.outstanding();
            if (!reports.isEmpty()) {
                assertThat(live).as("the leak was handled before the list was made").isEmpty();
            }
        });
    }

    @Test
    void trimHandlesLeaksAndThenFreesTheReclaimedMemory() throws InterruptedException {
        leakIsHandledBy(pool -> {
            pool.trim();
            if (!reports.isEmpty()) {
                // the reclaimed block was idle in time for a second trim to free its slab
                pool.trim();
                assertThat(pool.stats().bytesReserved()).isZero();
            }
        });
    }

    @Test
    void closeHandlesLeaks() throws InterruptedException {
        leakIsHandledBy(BufferPool::close);
    }

    @Test
    void aLeakIsLoggedAsAWarningWithTheAcquiringStack() throws InterruptedException {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.memkit.pools.leaks");
        List<java.util.logging.LogRecord> records = new CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        try (BufferPool pool = paranoid("logged")) {
            BufferPoolCaller.acquireAndDrop(pool, 100, false);
            awaitLeak(pool);
            assertThat(records).anySatisfy(r -> {
                assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
                assertThat(r.getMessage()).contains("LEAK").contains("BufferPool 'logged'")
                        .contains(BufferPoolCaller.class.getName() + ".acquireAndDrop");
            });
        } finally {
            jul.removeHandler(handler);
        }
    }
}
