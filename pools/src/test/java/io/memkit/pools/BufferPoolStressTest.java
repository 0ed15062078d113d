package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Ownership under real concurrency: threads acquire random sizes, write a pattern unique to the
 * lease, verify it, pass leases between threads and close them. A lease's bytes must be intact
 * whenever verified (no two live leases share memory), the counters must balance at the end, and
 * reserved memory must never exceed maxBytes.
 */
class BufferPoolStressTest {

    private final AtomicLong leaseIds = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private static void fill(ByteBuffer b, long id) {
        int n = b.capacity();
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            b.putLong(i, id * 0x9E3779B97F4A7C15L + i);
        }
        for (; i < n; i++) {
            b.put(i, (byte) (id + i));
        }
    }

    private static void verify(ByteBuffer b, long id) {
        int n = b.capacity();
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if (b.getLong(i) != id * 0x9E3779B97F4A7C15L + i) {
                throw new AssertionError("lease " + id + " of " + n + " bytes was overwritten at byte " + i);
            }
        }
        for (; i < n; i++) {
            if (b.get(i) != (byte) (id + i)) {
                throw new AssertionError("lease " + id + " of " + n + " bytes was overwritten at byte " + i);
            }
        }
    }

    /** A lease and the id its pattern was written with. */
    private static final class Held {
        final PooledBuffer lease;
        final long id;

        Held(PooledBuffer lease, long id) {
            this.lease = lease;
            this.id = id;
        }
    }

    private static int randomSize(SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0:
                return r.nextInt(300);
            case 1:
                return r.nextInt(5000);
            case 2:
                return r.nextInt(40_000);
            default:
                return r.nextInt(100_000); // above maxPooledCapacity sometimes: dedicated memory
        }
    }

    private Held acquire(BufferPool pool, int size) {
        PooledBuffer b = pool.acquire(size);
        long id = leaseIds.incrementAndGet();
        fill(b.byteBuffer(), id);
        return new Held(b, id);
    }

    /** Watches reserved memory from another thread while the workers run. */
    private Thread monitor(BufferPool pool, long maxBytes, AtomicReference<Boolean> done) {
        Thread t = new Thread(() -> {
            while (done.get() == null) {
                long reserved = pool.stats().bytesReserved();
                if (reserved > maxBytes) {
                    failure.compareAndSet(null, new AssertionError("reserved " + reserved + " > " + maxBytes));
                }
                Thread.onSpinWait();
            }
        }, "monitor");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void checkBalanced(BufferPool pool, long maxBytes) {
        BufferPoolStats s = pool.stats();
        assertThat(s.liveLeases()).isZero();
        assertThat(s.acquires()).isEqualTo(s.releases()).isEqualTo(leaseIds.get());
        assertThat(s.acquires()).isEqualTo(s.hits() + s.misses() + s.unpooled());
        assertThat(s.bytesInUse()).isZero();
        assertThat(s.bytesReserved()).isEqualTo(s.bytesIdle());
        assertThat(s.peakBytesReserved()).isLessThanOrEqualTo(maxBytes);
        assertThat(s.doubleReleases()).isZero();
        pool.trim();
        assertThat(pool.stats().bytesReserved()).isZero();
    }

    @Test
    void platformThreadsKeepEveryLeaseIntact() throws Exception {
        long maxBytes = 4 << 20;
        BufferPool pool = BufferPool.builder().name("stress").maxBytes(maxBytes).maxPooledCapacity(64 * 1024)
                .whenExhausted(Exhausted.WAIT).acquireTimeout(Duration.ofSeconds(20)).build();
        AtomicReference<Boolean> done = new AtomicReference<>();
        Thread monitor = monitor(pool, maxBytes, done);
        // leases handed from each thread to the next, closed there: cross-thread release
        java.util.concurrent.ConcurrentLinkedQueue<Held>[] handoff = new java.util.concurrent.ConcurrentLinkedQueue[4];
        for (int i = 0; i < 4; i++) {
            handoff[i] = new java.util.concurrent.ConcurrentLinkedQueue<>();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int me = t;
            Thread th = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(me);
                List<Held> mine = new ArrayList<>();
                try {
                    while (System.nanoTime() < deadline) {
                        // close what others passed on before acquiring: a thread waiting for memory
                        // must not hold leases that others handed it
                        for (java.util.concurrent.ConcurrentLinkedQueue<Held> q : handoff) {
                            for (Held passed; (passed = q.poll()) != null; ) {
                                verify(passed.lease.byteBuffer(), passed.id);
                                passed.lease.close();
                            }
                        }
                        if (mine.size() < 3) {
                            Held h = acquire(pool, randomSize(r));
                            if (r.nextInt(4) == 0) {
                                h.lease.retain();
                                verify(h.lease.byteBuffer(), h.id);
                                h.lease.close();
                            }
                            mine.add(h);
                        }
                        Held h = mine.remove(r.nextInt(mine.size()));
                        verify(h.lease.byteBuffer(), h.id);
                        if (r.nextBoolean()) {
                            handoff[(me + 1) % 4].add(h);
                        } else {
                            io.memkit.buffers.Slice view = h.lease.slice();
                            if (view.length() >= 8 && view.getLong(0) != h.id * 0x9E3779B97F4A7C15L) {
                                throw new AssertionError("slice of lease " + h.id + " disagrees");
                            }
                            h.lease.close();
                            if (view.isAccessible()) {
                                throw new AssertionError("a slice of closed lease " + h.id + " is accessible");
                            }
                            try {
                                view.getByte(0);
                                throw new AssertionError("a slice of closed lease " + h.id + " was readable");
                            } catch (IllegalStateException | IndexOutOfBoundsException expected) {
                                // released (or empty)
                            }
                        }
                        if (r.nextInt(500) == 0) {
                            pool.trim();
                        }
                    }
                    for (Held h : mine) {
                        verify(h.lease.byteBuffer(), h.id);
                        h.lease.close();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "stress-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(60_000);
        }
        for (java.util.concurrent.ConcurrentLinkedQueue<Held> q : handoff) {
            for (Held passed; (passed = q.poll()) != null; ) {
                verify(passed.lease.byteBuffer(), passed.id);
                passed.lease.close();
            }
        }
        done.set(true);
        monitor.join(10_000);
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        checkBalanced(pool, maxBytes);
        pool.close();
    }

    @Test
    void tenThousandVirtualThreadsKeepEveryLeaseIntact() throws Throwable {
        MethodHandle factory;
        try {
            factory = MethodHandles.publicLookup().findStatic(java.util.concurrent.Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
        } catch (NoSuchMethodException e) {
            Assumptions.abort("virtual threads need JDK 21+; this is " + Runtime.version());
            return;
        }
        // Room for most of the 10,000 leases at once: waiting is exercised by the platform test; here
        // thousands of waiters would each retry on every release (ReleaseSignal wakes them all).
        long maxBytes = 48 << 20;
        BufferPool pool = BufferPool.builder().name("virtual").maxBytes(maxBytes).maxPooledCapacity(64 * 1024)
                .whenExhausted(Exhausted.WAIT).acquireTimeout(Duration.ofSeconds(30)).build();
        AtomicReference<Boolean> done = new AtomicReference<>();
        Thread monitor = monitor(pool, maxBytes, done);
        ExecutorService vts = (ExecutorService) factory.invoke();
        try {
            for (int v = 0; v < 10_000; v++) {
                int seed = v;
                vts.execute(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    try {
                        for (int i = 0; i < 5; i++) {
                            Held h = acquire(pool, r.nextInt(r.nextBoolean() ? 512 : 4096));
                            Thread.yield(); // hold the lease while others run, as across blocking I/O
                            verify(h.lease.byteBuffer(), h.id);
                            h.lease.close();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
        } finally {
            vts.shutdown();
            assertThat(vts.awaitTermination(60, TimeUnit.SECONDS)).as("virtual threads finished").isTrue();
        }
        done.set(true);
        monitor.join(10_000);
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertThat(leaseIds.get()).isEqualTo(50_000);
        checkBalanced(pool, maxBytes);
        pool.close();
    }
}
