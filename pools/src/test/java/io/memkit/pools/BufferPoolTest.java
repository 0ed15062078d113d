package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.meter.Instrumented;
import io.memkit.meter.Instruments;
import io.memkit.testing.BufferPoolCaller;
import io.memkit.testing.Waits;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    private final List<BufferPool> pools = new ArrayList<>();

    private BufferPool pool(BufferPool.Builder b) {
        BufferPool p = b.build();
        pools.add(p);
        return p;
    }

    private BufferPool pool() {
        return pool(BufferPool.builder().name("test").leakDetection(LeakDetection.OFF));
    }

    @AfterEach
    void closePools() {
        pools.forEach(BufferPool::close);
    }

    private static void fill(ByteBuffer b, int seed) {
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) (seed + i * 31));
        }
    }

    private static void verify(ByteBuffer b, int seed) {
        for (int i = 0; i < b.capacity(); i++) {
            if (b.get(i) != (byte) (seed + i * 31)) {
                throw new AssertionError("byte " + i + " of a lease of " + b.capacity() + " was overwritten");
            }
        }
    }

    @Test
    void acquireReturnsADirectBufferOfExactlyTheCapacity() {
        BufferPool p = pool();
        for (int c : new int[] {0, 1, 15, 16, 17, 255, 256, 257, 4096, 4097, 65536, 1 << 20}) {
            try (PooledBuffer b = p.acquire(c)) {
                ByteBuffer bb = b.byteBuffer();
                assertThat(b.capacity()).isEqualTo(c);
                assertThat(bb.isDirect()).isTrue();
                assertThat(bb.position()).isZero();
                assertThat(bb.limit()).isEqualTo(c);
                assertThat(bb.capacity()).isEqualTo(c);
                assertThat(bb.isReadOnly()).isFalse();
                assertThat(b.refCount()).isEqualTo(1);
                assertThat(b.isReleased()).isFalse();
                fill(bb, c);
                verify(bb, c);
            }
        }
        assertThat(p.stats().liveLeases()).isZero();
    }

    @Test
    void byteBufferIsTheSameObjectForTheWholeLease() {
        BufferPool p = pool();
        try (PooledBuffer b = p.acquire(100)) {
            ByteBuffer first = b.byteBuffer();
            first.position(10);
            assertThat(b.byteBuffer()).isSameAs(first);
            assertThat(b.byteBuffer().position()).isEqualTo(10);
        }
    }

    @Test
    void rejectsNegativeAndOversizedCapacities() {
        BufferPool p = pool(BufferPool.builder().name("small").maxBytes(10_000));
        assertThatIllegalArgumentException().isThrownBy(() -> p.acquire(-1)).withMessageContaining("-1");
        assertThatIllegalArgumentException().isThrownBy(() -> p.acquire(Integer.MIN_VALUE))
                .withMessageContaining(String.valueOf(Integer.MIN_VALUE));
        assertThatIllegalArgumentException().isThrownBy(() -> p.acquire(10_001))
                .withMessageContaining("10001").withMessageContaining("10000").withMessageContaining("small");
        assertThatIllegalArgumentException().isThrownBy(() -> p.acquire(Integer.MAX_VALUE))
                .withMessageContaining(String.valueOf(Integer.MAX_VALUE));
        try (PooledBuffer b = p.acquire(10_000)) {
            assertThat(b.capacity()).isEqualTo(10_000);
        }
        assertThat(p.stats().acquires()).isEqualTo(1);
        assertThat(p.stats().bytesReserved()).isZero();
    }

    @Test
    void liveLeasesNeverShareMemory() {
        BufferPool p = pool();
        List<PooledBuffer> live = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            PooledBuffer b = p.acquire(i % 3 == 0 ? 100 : i % 3 == 1 ? 4000 : 70_000);
            fill(b.byteBuffer(), i);
            live.add(b);
        }
        for (int i = 0; i < live.size(); i++) {
            verify(live.get(i).byteBuffer(), i);
        }
        live.forEach(PooledBuffer::close);
        assertThat(p.stats().liveLeases()).isZero();
        assertThat(p.stats().bytesInUse()).isZero();
    }

    @Test
    void aReleasedBlockIsReusedAndCountedAsAHit() {
        BufferPool p = pool();
        p.acquire(4096).close();
        p.acquire(4000).close(); // same size class
        BufferPoolStats s = p.stats();
        assertThat(s.misses()).isEqualTo(1);
        assertThat(s.hits()).isEqualTo(1);
        assertThat(s.acquires()).isEqualTo(2);
        assertThat(s.releases()).isEqualTo(2);
        assertThat(s.bytesReserved()).isEqualTo(64 * 1024); // one slab of 16 blocks of 4 KiB
        assertThat(s.bytesIdle()).isEqualTo(s.bytesReserved());
    }

    @Test
    void retainAddsAnOwnerAndEachOwnerClosesOnce() {
        BufferPool p = pool();
        PooledBuffer b = p.acquire(64);
        assertThat(b.retain()).isSameAs(b);
        assertThat(b.refCount()).isEqualTo(2);
        b.close();
        assertThat(b.refCount()).isEqualTo(1);
        assertThat(b.isReleased()).isFalse();
        assertThat(p.stats().liveLeases()).isEqualTo(1);
        b.close();
        assertThat(b.refCount()).isZero();
        assertThat(b.isReleased()).isTrue();
        assertThat(p.stats().liveLeases()).isZero();
        assertThatIllegalStateException().isThrownBy(b::retain).withMessageContaining("released");
    }

    @Test
    void closingAReleasedLeaseThrowsAndChangesNothing() {
        BufferPool p = pool();
        PooledBuffer stale = p.acquire(512);
        stale.close();
        assertThatIllegalStateException().isThrownBy(stale::close).withMessageContaining("released")
                .withMessageContaining("512");
        assertThat(p.stats().doubleReleases()).isEqualTo(1);
        assertThat(p.stats().releases()).isEqualTo(1);
    }

    @Test
    void aStaleCloseCannotReleaseTheNextOwnersBlock() {
        // Netty 4.2.18's adaptive allocator: release, allocate the same size, release the stale
        // reference again, and the new owner's refCnt() is 0. Here the stale close throws.
        BufferPool p = pool();
        PooledBuffer stale = p.acquire(1000);
        stale.close();
        PooledBuffer next = p.acquire(1000);
        assertThat(p.stats().hits()).as("the same block was re-leased").isEqualTo(1);
        fill(next.byteBuffer(), 7);
        assertThatIllegalStateException().isThrownBy(stale::close);
        assertThatIllegalStateException().isThrownBy(stale::retain);
        assertThatIllegalStateException().isThrownBy(stale::byteBuffer);
        assertThat(stale.isReleased()).isTrue();
        assertThat(stale.refCount()).isZero();
        assertThat(next.refCount()).isEqualTo(1);
        assertThat(next.isReleased()).isFalse();
        // the next owner's block was not returned to the cache: a third lease gets other memory
        PooledBuffer third = p.acquire(1000);
        fill(third.byteBuffer(), 99);
        verify(next.byteBuffer(), 7);
        next.close();
        third.close();
        BufferPoolStats s = p.stats();
        assertThat(s.doubleReleases()).isEqualTo(1);
        assertThat(s.liveLeases()).isZero();
        assertThat(s.acquires()).isEqualTo(s.releases());
    }

    @Test
    void largeRequestsGetDedicatedMemoryFreedOnClose() {
        BufferPool p = pool(BufferPool.builder().maxPooledCapacity(4096).leakDetection(LeakDetection.OFF));
        PooledBuffer big = p.acquire(5000);
        assertThat(big.byteBuffer().capacity()).isEqualTo(5000);
        BufferPoolStats s = p.stats();
        assertThat(s.unpooled()).isEqualTo(1);
        assertThat(s.bytesInUse()).isEqualTo(5000);
        assertThat(s.bytesReserved()).isEqualTo(5000);
        big.close();
        s = p.stats();
        assertThat(s.bytesReserved()).isZero();
        assertThat(s.bytesInUse()).isZero();
        assertThat(s.releases()).isEqualTo(1);
        try (PooledBuffer small = p.acquire(4096)) {
            assertThat(p.stats().unpooled()).isEqualTo(1);
            assertThat(p.stats().misses()).isEqualTo(1);
        }
    }

    @Test
    void maxPooledCapacityZeroStillPoolsEmptyRequests() {
        BufferPool p = pool(BufferPool.builder().maxPooledCapacity(0).leakDetection(LeakDetection.OFF));
        p.acquire(0).close();
        p.acquire(1).close();
        assertThat(p.stats().unpooled()).isEqualTo(1);
        assertThat(p.stats().misses()).isEqualTo(1);
    }

    @Test
    void aCapTooSmallForAnyClassServesDedicatedMemory() {
        BufferPool p = pool(BufferPool.builder().maxBytes(10).leakDetection(LeakDetection.OFF));
        try (PooledBuffer b = p.acquire(10)) {
            assertThat(b.byteBuffer().capacity()).isEqualTo(10);
            assertThat(p.stats().unpooled()).isEqualTo(1);
            assertThatThrownBy(() -> p.acquire(1)).isInstanceOf(PoolExhaustedException.class);
        }
        try (PooledBuffer b = p.acquire(0)) {
            assertThat(b.capacity()).isZero();
        }
    }

    @Test
    void failPolicyThrowsAtTheCapWithADescriptiveMessage() {
        BufferPool p = pool(BufferPool.builder().name("capped").maxBytes(64 * 1024).leakDetection(LeakDetection.OFF));
        List<PooledBuffer> live = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            live.add(p.acquire(4096));
        }
        assertThat(p.stats().bytesReserved()).isEqualTo(64 * 1024);
        assertThatThrownBy(() -> p.acquire(4096)).isInstanceOf(PoolExhaustedException.class)
                .hasMessageContaining("capped").hasMessageContaining("4096").hasMessageContaining("65536")
                .hasMessageContaining("in use 65536").hasMessageContaining("idle 0");
        assertThatThrownBy(() -> p.acquire(16)).isInstanceOf(PoolExhaustedException.class);
        assertThat(p.stats().exhausted()).isEqualTo(2);
        assertThat(p.stats().peakBytesReserved()).isEqualTo(64 * 1024);
        live.remove(0).close();
        p.acquire(4096).close();
        live.forEach(PooledBuffer::close);
    }

    @Test
    void idleMemoryOfOtherClassesIsReCarvedBeforeFailing() {
        BufferPool p = pool(BufferPool.builder().maxBytes(256 * 1024).leakDetection(LeakDetection.OFF));
        List<PooledBuffer> live = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            live.add(p.acquire(4096)); // two full slabs of 4 KiB blocks
        }
        live.forEach(PooledBuffer::close);
        assertThat(p.stats().bytesIdle()).isEqualTo(256 * 1024);
        try (PooledBuffer big = p.acquire(200_000)) {
            assertThat(big.byteBuffer().capacity()).isEqualTo(200_000);
        }
        BufferPoolStats s = p.stats();
        assertThat(s.exhausted()).isZero();
        assertThat(s.bytesReserved()).isLessThanOrEqualTo(256 * 1024);
        assertThat(s.peakBytesReserved()).isLessThanOrEqualTo(256 * 1024);
    }

    @Test
    void waitPolicyWakesWhenMemoryIsReleased() throws Exception {
        BufferPool p = pool(BufferPool.builder().maxBytes(4096).maxPooledCapacity(4096).whenExhausted(Exhausted.WAIT)
                .acquireTimeout(Duration.ofSeconds(30)).leakDetection(LeakDetection.OFF));
        PooledBuffer held = p.acquire(4096);
        CompletableFuture<Integer> got = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try (PooledBuffer b = p.acquire(4096)) {
                got.complete(b.capacity());
            } catch (Throwable t) {
                got.completeExceptionally(t);
            }
        }, "waiter");
        waiter.start();
        // Released only once the waiter sleeps in its wait: a broken wake-up then fails this test.
        Waits.untilTimedWaiting(waiter);
        held.close();
        assertThat(got.get(30, TimeUnit.SECONDS)).isEqualTo(4096);
        Waits.join(waiter);
        assertThat(p.stats().exhausted()).isZero();
    }

    @Test
    void closeWakesWaitingAcquiresWithIllegalStateException() throws Exception {
        BufferPool p = pool(BufferPool.builder().maxBytes(4096).maxPooledCapacity(4096).whenExhausted(Exhausted.WAIT)
                .acquireTimeout(Duration.ofSeconds(60)).leakDetection(LeakDetection.OFF));
        PooledBuffer held = p.acquire(4096);
        List<CompletableFuture<Throwable>> outcomes = new ArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    p.acquire(1000).close();
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            }, "waiter-" + i);
            t.start();
            outcomes.add(outcome);
            waiters.add(t);
        }
        for (Thread t : waiters) {
            Waits.untilTimedWaiting(t);
        }
        long t0 = System.nanoTime();
        p.close();
        for (CompletableFuture<Throwable> outcome : outcomes) {
            assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        // woken by the close, not by the 60 s timeout
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(30));
        for (Thread t : waiters) {
            Waits.join(t);
        }
        held.close();
    }

    @Test
    void statsNeverReportANegativeFieldOrOneAboveMaxBytesUnderConcurrency() throws Exception {
        // Two threads take and return the only block on whichever stripe they run; a third reads
        // stats(): the sums over stripes are not read at one instant, the snapshot must still hold.
        BufferPool p = pool(BufferPool.builder().maxBytes(4096).maxPooledCapacity(4096).whenExhausted(Exhausted.WAIT)
                .acquireTimeout(Duration.ofSeconds(30)).leakDetection(LeakDetection.OFF));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable work = () -> {
            try {
                while (!stop.get()) {
                    try (PooledBuffer b = p.acquire(4096)) {
                        b.refCount();
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        // Workers on two different stripes, so that the block moves between stripes (taken from
        // one stripe's cache, returned to the other's): that is what makes a racy sum negative.
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; workers.size() < 2 && i < 1000; i++) {
            Thread t = new Thread(work, "worker-" + i);
            int stripe = io.memkit.meter.internal.Stripes.index(t.getId(), io.memkit.meter.internal.Stripes.MASK);
            if (workers.isEmpty() || stripe != io.memkit.meter.internal.Stripes.index(workers.get(0).getId(),
                    io.memkit.meter.internal.Stripes.MASK)) {
                workers.add(t);
            }
        }
        workers.forEach(Thread::start);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            int snapshots = 0;
            while (snapshots < 300_000 && System.nanoTime() < deadline) {
                BufferPoolStats s = p.stats();
                snapshots++;
                long[] fields = {s.acquires(), s.releases(), s.hits(), s.misses(), s.unpooled(), s.bytesInUse(),
                    s.bytesIdle(), s.bytesReserved(), s.peakBytesReserved(), s.exhausted(), s.leaksDetected(),
                    s.doubleReleases(), s.liveLeases(), s.bytesQuarantined()};
                for (long f : fields) {
                    assertThat(f).as("snapshot %d: %s", snapshots, s).isNotNegative();
                }
                for (long f : new long[] {s.bytesInUse(), s.bytesIdle(), s.bytesReserved(), s.peakBytesReserved(),
                    s.bytesQuarantined()}) {
                    assertThat(f).as("snapshot %d: %s", snapshots, s).isLessThanOrEqualTo(4096);
                }
                assertThat(s.bytesReserved()).as("%s", s).isLessThanOrEqualTo(s.peakBytesReserved());
            }
        } finally {
            stop.set(true);
            for (Thread t : workers) {
                Waits.join(t);
            }
        }
        assertThat(failure.get()).isNull();
        BufferPoolStats end = p.stats();
        assertThat(end.liveLeases()).isZero();
        assertThat(end.bytesInUse()).isZero();
    }

    @Test
    void aLeaseHasAtMostTheRetainLimitOfOwners() {
        BufferPool p = pool();
        try (PooledBuffer b = p.acquire(64)) {
            int limit = (1 << 24) - 1;
            for (int i = 1; i < limit; i++) {
                b.retain();
            }
            assertThat(b.refCount()).isEqualTo(limit);
            assertThatIllegalStateException().isThrownBy(b::retain).withMessageContaining("maximum of " + limit);
            assertThat(b.refCount()).isEqualTo(limit);
            for (int i = 1; i < limit; i++) {
                b.close();
            }
            assertThat(b.refCount()).isOne();
            assertThat(b.isReleased()).isFalse();
        }
        assertThat(p.stats().liveLeases()).isZero();
    }

    @Test
    void waitPolicyGivesUpAfterTheTimeout() {
        BufferPool p = pool(BufferPool.builder().maxBytes(4096).whenExhausted(Exhausted.WAIT)
                .acquireTimeout(Duration.ofMillis(30)).leakDetection(LeakDetection.OFF));
        try (PooledBuffer held = p.acquire(4096)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> p.acquire(100)).isInstanceOf(PoolExhaustedException.class)
                    .hasMessageContaining("after waiting");
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        }
        assertThat(p.stats().exhausted()).isEqualTo(1);
    }

    @Test
    void anInterruptedWaitThrowsWithTheInterruptAsCauseAndKeepsTheFlag() throws Exception {
        BufferPool p = pool(BufferPool.builder().maxBytes(4096).whenExhausted(Exhausted.WAIT)
                .acquireTimeout(Duration.ofSeconds(30)).leakDetection(LeakDetection.OFF));
        try (PooledBuffer held = p.acquire(4096)) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    p.acquire(4096).close();
                } catch (Throwable e) {
                    thrown.set(e);
                    flag.set(Thread.currentThread().isInterrupted());
                }
            });
            t.start();
            t.interrupt();
            t.join(30_000);
            assertThat(thrown.get()).isInstanceOf(PoolExhaustedException.class)
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(flag.get()).isTrue();
        }
    }

    @Test
    void trimReturnsIdleSlabsAndKeepsSlabsInUse() {
        BufferPool p = pool();
        List<PooledBuffer> live = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            live.add(p.acquire(4096)); // slabs 1 and 2 full (16 blocks each), slab 3 with 8
        }
        PooledBuffer keep = live.remove(39); // lives in slab 3
        live.forEach(PooledBuffer::close);
        assertThat(p.stats().bytesReserved()).isEqualTo(3 * 64 * 1024);
        assertThat(p.trim()).isEqualTo(2 * 64 * 1024);
        BufferPoolStats s = p.stats();
        assertThat(s.bytesReserved()).isEqualTo(64 * 1024);
        assertThat(s.bytesInUse()).isEqualTo(4096);
        fill(keep.byteBuffer(), 3);
        try (PooledBuffer again = p.acquire(4096)) {
            fill(again.byteBuffer(), 4);
            verify(keep.byteBuffer(), 3);
        }
        keep.close();
        assertThat(p.trim()).isEqualTo(64 * 1024);
        assertThat(p.stats().bytesReserved()).isZero();
        assertThat(p.trim()).isZero();
        // the pool still works after a trim
        p.acquire(4096).close();
        assertThat(p.stats().bytesReserved()).isEqualTo(64 * 1024);
    }

    @Test
    void atTheCapAnIdleBlockOfALargerClassServesASmallerRequest() {
        BufferPool p = pool(BufferPool.builder().maxBytes(64 * 1024).leakDetection(LeakDetection.OFF));
        List<PooledBuffer> live = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            live.add(p.acquire(4096)); // the whole budget: one slab
        }
        live.remove(0).close(); // one idle block, pinned by the 15 others
        try (PooledBuffer small = p.acquire(100)) {
            assertThat(small.capacity()).isEqualTo(100);
            assertThat(small.byteBuffer().capacity()).isEqualTo(100);
            assertThat(p.stats().bytesInUse()).isEqualTo(16 * 4096);
        }
        assertThat(p.stats().exhausted()).isZero();
        live.forEach(PooledBuffer::close);
    }

    @Test
    void closeFreesIdleMemoryWhileOpenLeasesKeepWorking() {
        BufferPool p = pool();
        PooledBuffer open = p.acquire(1000);
        PooledBuffer dedicated = p.acquire(2 << 20);
        p.acquire(1000).close();
        p.acquire(5000).close();
        p.close();
        p.close(); // idempotent
        assertThat(Instruments.all()).doesNotContain(p);
        fill(open.byteBuffer(), 5);
        verify(open.byteBuffer(), 5);
        assertThatIllegalStateException().isThrownBy(() -> p.acquire(1000)).withMessageContaining("closed");
        assertThatIllegalStateException().isThrownBy(() -> p.acquire(5 << 20)).withMessageContaining("closed");
        BufferPoolStats s = p.stats();
        assertThat(s.bytesReserved()).isEqualTo(64 * 1024 + (2 << 20)); // the slab of the open lease
        open.close();
        dedicated.close();
        s = p.stats();
        assertThat(s.bytesReserved()).isZero();
        assertThat(s.liveLeases()).isZero();
        assertThat(s.acquires()).isEqualTo(4);
        assertThat(s.releases()).isEqualTo(4);
    }

    @Test
    void anyThreadMayCloseALease() throws Exception {
        BufferPool p = pool();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 200; i++) {
                PooledBuffer b = p.acquire(300);
                fill(b.byteBuffer(), i);
                Future<?> f = other.submit(b::close);
                f.get();
            }
        } finally {
            other.shutdown();
        }
        BufferPoolStats s = p.stats();
        assertThat(s.acquires()).isEqualTo(200);
        assertThat(s.releases()).isEqualTo(200);
        assertThat(s.bytesInUse()).isZero();
    }

    @Test
    void statsBalanceAndCountersMatchThem() {
        BufferPool p = pool();
        PooledBuffer a = p.acquire(100);
        PooledBuffer b = p.acquire(3000);
        p.acquire(3000).close();
        BufferPoolStats s = p.stats();
        assertThat(s.acquires()).isEqualTo(3);
        assertThat(s.releases()).isEqualTo(1);
        assertThat(s.liveLeases()).isEqualTo(2);
        assertThat(s.acquires()).isEqualTo(s.hits() + s.misses() + s.unpooled());
        assertThat(s.bytesInUse()).isEqualTo(112 + 3072);
        assertThat(s.bytesReserved()).isEqualTo(s.bytesInUse() + s.bytesIdle() + s.bytesQuarantined());
        assertThat(s.bytesQuarantined()).isZero();
        Instrumented i = p;
        assertThat(i.type()).isEqualTo("BufferPool");
        assertThat(i.name()).isEqualTo("test");
        assertThat(i.counters()).containsEntry("acquires", 3L).containsEntry("liveLeases", 2L)
                .containsEntry("bytesInUse", 112L + 3072).containsKeys("releases", "hits", "misses", "unpooled",
                        "bytesIdle", "bytesReserved", "peakBytesReserved", "exhausted", "leaksDetected",
                        "doubleReleases");
        assertThat(Instruments.all()).contains(p);
        a.close();
        b.close();
    }

    @Test
    void outstandingListsTrackedLeasesOnly() {
        BufferPool paranoid = pool(BufferPool.builder().leakDetection(LeakDetection.PARANOID));
        BufferPool off = pool();
        try (PooledBuffer a = BufferPoolCaller.acquire(paranoid, 10); PooledBuffer b = paranoid.acquire(20);
                PooledBuffer c = off.acquire(30)) {
            List<LeaseInfo> out = paranoid.outstanding();
            assertThat(out).extracting(LeaseInfo::capacity).containsExactly(10, 20);
            assertThat(out.get(0).threadName()).isEqualTo(Thread.currentThread().getName());
            assertThat(out.get(0).age().isNegative()).isFalse();
            assertThat(out.get(0).acquiredAt()[0].getClassName()).isEqualTo(BufferPoolCaller.class.getName());
            assertThat(out.get(0).acquiredAt()[0].getMethodName()).isEqualTo("acquire");
            assertThat(off.outstanding()).isEmpty();
        }
        assertThat(paranoid.outstanding()).isEmpty();
    }

    @Test
    void builderRejectsBadInput() {
        BufferPool.Builder b = BufferPool.builder();
        assertThatNullPointerException().isThrownBy(() -> b.name(null)).withMessageContaining("name");
        assertThatIllegalArgumentException().isThrownBy(() -> b.name("")).withMessageContaining("name");
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxBytes(0)).withMessageContaining("0");
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxBytes(-5)).withMessageContaining("-5");
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxPooledCapacity(-1)).withMessageContaining("-1");
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxPooledCapacity((1 << 30) + 1))
                .withMessageContaining(String.valueOf((1 << 30) + 1));
        assertThatNullPointerException().isThrownBy(() -> b.whenExhausted(null)).withMessageContaining("policy");
        assertThatNullPointerException().isThrownBy(() -> b.acquireTimeout(null)).withMessageContaining("timeout");
        assertThatIllegalArgumentException().isThrownBy(() -> b.acquireTimeout(Duration.ofMillis(-1)))
                .withMessageContaining("-0.001");
        assertThatNullPointerException().isThrownBy(() -> b.leakDetection(null)).withMessageContaining("level");
        assertThatNullPointerException().isThrownBy(() -> b.leakListener(null)).withMessageContaining("listener");
        // extreme but valid values
        BufferPool p = pool(b.maxBytes(Long.MAX_VALUE).maxPooledCapacity(1 << 30)
                .acquireTimeout(Duration.ofSeconds(Long.MAX_VALUE)).whenExhausted(Exhausted.WAIT));
        p.acquire(1).close();
        assertThat(p.name()).startsWith("BufferPool-");
    }

    @Test
    void recordsRejectBadInput() {
        StackTraceElement[] none = new StackTraceElement[0];
        assertThatIllegalArgumentException().isThrownBy(() -> new LeaseInfo(-1, Duration.ZERO, "t", none))
                .withMessageContaining("-1");
        assertThatNullPointerException().isThrownBy(() -> new LeaseInfo(1, null, "t", none));
        assertThatNullPointerException().isThrownBy(() -> new LeaseInfo(1, Duration.ZERO, null, none));
        assertThatNullPointerException().isThrownBy(() -> new LeaseInfo(1, Duration.ZERO, "t", null));
        assertThatIllegalArgumentException().isThrownBy(() -> new LeakReport("p", -2, none, true))
                .withMessageContaining("-2");
        assertThatNullPointerException().isThrownBy(() -> new LeakReport(null, 1, none, true));
        assertThatNullPointerException().isThrownBy(() -> new LeakReport("p", 1, null, true));
    }

    @Test
    void sliceRejectsWindowsOutsideTheLease() {
        BufferPool p = pool();
        try (PooledBuffer b = p.acquire(100)) {
            assertThatThrownBy(() -> b.slice(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("-1");
            assertThatThrownBy(() -> b.slice(0, 101)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("101");
            assertThatThrownBy(() -> b.slice(90, 11)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> b.slice(1, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void describesItself() {
        BufferPool p = pool();
        try (PooledBuffer b = p.acquire(77)) {
            assertThat(b.toString()).contains("77").contains("test");
            assertThat(p.toString()).contains("test").contains("liveLeases=1");
        }
    }
}
