package io.memkit.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.pools.BufferPool;
import io.memkit.pools.LeakDetection;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two ways a stale reference misbehaves on Netty's recycling allocators, shown on Netty's
 * pooled and adaptive allocators, and caught on memkit's.
 */
class StaleUseTest {

    private static final long OLD = 0x0101010101010101L;
    private static final long NEW = 0x7e7e7e7e7e7e7e7eL;

    private static ResourceLeakDetector.Level level;

    /** Netty's leak wrappers are sampled at random; without them every run takes the same path. */
    @BeforeAll
    static void noLeakWrappers() {
        level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }

    @AfterAll
    static void restoreLeakLevel() {
        ResourceLeakDetector.setLevel(level);
    }

    /** Writes OLD, slices, releases, lets the next owner write NEW, and reads the stale slice. */
    private static long staleSliceRead(ByteBufAllocator alloc, List<ByteBuf> toRelease) {
        ByteBuf first = alloc.directBuffer(256);
        first.writeLong(OLD);
        ByteBuf staleSlice = first.slice(0, 8);
        first.release();
        ByteBuf next = alloc.directBuffer(256);
        toRelease.add(next);
        next.writeLong(NEW);
        return staleSlice.getLong(0);
    }

    /** Releases a buffer, allocates the same size again, and releases the stale reference again. */
    private static ByteBuf staleReleaseVictim(ByteBufAllocator alloc) {
        ByteBuf first = alloc.directBuffer(256);
        first.release();
        ByteBuf next = alloc.directBuffer(256);
        try {
            first.release();
        } catch (IllegalReferenceCountException expected) {
            // memkit: the stale release is refused
        }
        return next;
    }

    /**
     * Runs {@code work} on a Netty thread, as in an event loop: Netty 4.2 keeps its recycling
     * caches for its own threads only.
     */
    private static <T> T onNettyThread(Callable<T> work) throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new FastThreadLocalThread(() -> {
            try {
                result.set(work.call());
            } catch (Throwable e) {
                result.set(e);
            }
        });
        t.start();
        t.join(30_000);
        assertThat(t.isAlive()).as("Netty thread finished").isFalse();
        if (result.get() instanceof Throwable) {
            throw new AssertionError(result.get());
        }
        @SuppressWarnings("unchecked")
        T value = (T) result.get();
        return value;
    }

    @Test
    void nettysPooledAndAdaptiveAllocatorsLetAStaleSliceReadTheNextOwnersBytes() throws Exception {
        for (ByteBufAllocator netty : List.of(PooledByteBufAllocator.DEFAULT, new AdaptiveByteBufAllocator())) {
            long read = onNettyThread(() -> {
                List<ByteBuf> held = new ArrayList<>();
                long v = staleSliceRead(netty, held);
                held.forEach(ByteBuf::release);
                return v;
            });
            assertThat(read).as(netty.getClass().getSimpleName()).isEqualTo(NEW);
        }
    }

    @Test
    void nettysPooledAndAdaptiveAllocatorsLetAStaleReleaseFreeTheNextOwnersBuffer() throws Exception {
        for (ByteBufAllocator netty : List.of(PooledByteBufAllocator.DEFAULT, new AdaptiveByteBufAllocator())) {
            int refCnt = onNettyThread(() -> staleReleaseVictim(netty).refCnt());
            assertThat(refCnt).as(netty.getClass().getSimpleName()).isZero();
        }
    }

    @Test
    void memkitStaleSliceThrowsInsteadOfReadingTheNextOwnersBytes() {
        try (BufferPool pool = BufferPool.builder().name("stale-slice").build()) {
            MemkitByteBufAllocator alloc = new MemkitByteBufAllocator(pool);
            List<ByteBuf> held = new ArrayList<>();
            assertThatThrownBy(() -> staleSliceRead(alloc, held)).isInstanceOf(IllegalReferenceCountException.class);
            assertThat(held).hasSize(1);
            // The next owner got the very memory block (the pool reuses it) and is untouched.
            assertThat(held.get(0).getLong(0)).isEqualTo(NEW);
            held.get(0).release();
            assertThat(pool.stats().hits()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void memkitStaleReleaseThrowsAndFreesNothing() {
        try (BufferPool pool = BufferPool.builder().name("stale-release").build()) {
            MemkitByteBufAllocator alloc = new MemkitByteBufAllocator(pool);
            ByteBuf first = alloc.directBuffer(256);
            first.release();
            ByteBuf next = alloc.directBuffer(256);
            assertThatThrownBy(first::release).isInstanceOf(IllegalReferenceCountException.class);
            assertThat(next.refCnt()).isEqualTo(1);
            next.writeLong(NEW);
            assertThat(next.readLong()).isEqualTo(NEW);
            assertThat(pool.stats().liveLeases()).isEqualTo(1);
            assertThat(staleReleaseVictim(alloc).release()).isTrue();
            next.release();
            assertThat(pool.stats().liveLeases()).isZero();
        }
    }

    @Test
    void everyDerivedBufferThrowsAfterTheLastRelease() {
        try (BufferPool pool = BufferPool.builder().name("derived").build()) {
            MemkitByteBufAllocator alloc = new MemkitByteBufAllocator(pool);
            ByteBuf b = alloc.directBuffer(64).writeLong(OLD).writeLong(OLD);
            ByteBuf slice = b.slice();
            ByteBuf dup = b.duplicate();
            ByteBuf le = b.order(ByteOrder.LITTLE_ENDIAN);
            ByteBuf retained = b.retainedSlice(0, 8);
            ByteBuf readRetained = b.readRetainedSlice(8);
            retained.release();
            readRetained.release();
            assertThat(b.release()).isTrue();
            ByteBuf reuse = alloc.directBuffer(64).writeLong(NEW); // same memory, next owner
            for (ByteBuf stale : List.of(b, slice, dup, le, retained, readRetained)) {
                assertThatThrownBy(() -> stale.getLong(0)).isInstanceOf(IllegalReferenceCountException.class);
                assertThatThrownBy(() -> stale.getByte(0)).isInstanceOf(IllegalReferenceCountException.class);
                assertThatThrownBy(() -> stale.setByte(0, 1)).isInstanceOf(IllegalReferenceCountException.class);
                assertThatThrownBy(stale::nioBuffer).isInstanceOf(IllegalReferenceCountException.class);
                assertThatThrownBy(stale::release).isInstanceOf(IllegalReferenceCountException.class);
                assertThatThrownBy(stale::retain).isInstanceOf(IllegalReferenceCountException.class);
            }
            assertThatThrownBy(b::memoryAddress).isInstanceOf(IllegalReferenceCountException.class);
            assertThat(reuse.getLong(0)).isEqualTo(NEW);
            reuse.release();
        }
    }

    /**
     * A reader on another thread races with the last release and a next owner that writes other
     * bytes into the same memory: each value it gets is the old owner's, or it throws.
     */
    @Test
    void aReadRacingTheLastReleaseNeverReturnsTheNextOwnersBytes() throws InterruptedException {
        try (BufferPool pool = BufferPool.builder().name("race").leakDetection(LeakDetection.OFF).build()) {
            MemkitByteBufAllocator alloc = new MemkitByteBufAllocator(pool);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong staleReads = new AtomicLong();
            for (int round = 0; round < 300 && failure.get() == null; round++) {
                ByteBuf victim = alloc.directBuffer(64);
                for (int i = 0; i < 8; i++) {
                    victim.writeLong(OLD);
                }
                CountDownLatch reading = new CountDownLatch(1);
                Thread reader = new Thread(() -> readUntilReleased(victim, reading, failure, staleReads));
                reader.start();
                assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
                victim.release();
                ByteBuf next = alloc.directBuffer(64);
                for (int i = 0; i < 8; i++) {
                    next.writeLong(NEW);
                }
                reader.join(10_000);
                assertThat(reader.isAlive()).as("reader finished").isFalse();
                next.release();
            }
            assertThat(failure.get()).isNull();
            assertThat(staleReads.get()).as("reads that threw").isEqualTo(300);
        }
    }

    private static void readUntilReleased(ByteBuf b, CountDownLatch reading, AtomicReference<Throwable> failure,
            AtomicLong thrown) {
        reading.countDown();
        try {
            for (int n = 0; n < 50_000_000; n++) {
                long v = b.getLong((n & 7) << 3);
                if (v != OLD) {
                    failure.compareAndSet(null, new AssertionError("read the next owner's bytes: " + Long.toHexString(v)));
                    return;
                }
            }
            failure.compareAndSet(null, new AssertionError("the release was never seen"));
        } catch (IllegalReferenceCountException expected) {
            thrown.incrementAndGet();
        }
    }
}
