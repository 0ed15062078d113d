package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.buffers.CompositeSlice;
import io.memkit.buffers.Slice;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stale-view promise over real {@link BufferPool} leases: a pool of one 4 KiB block, so the
 * next lease always gets the memory a stale view points at.
 */
class StaleViewRaceTest {

    private static final int BLOCK = 4096;

    private final BufferPool pool = BufferPool.builder().name("stale-view").maxBytes(BLOCK).build();

    @AfterEach
    void close() {
        pool.close();
    }

    /** The channel's write releases the lease and the next lease writes a secret before the views are drained. */
    @Test
    void compositeWriteToThrowsWhenTheChannelReleasesThePart() {
        PooledBuffer lease = pool.acquire(BLOCK);
        CompositeSlice response = CompositeSlice.of(Slice.wrap(new byte[4]), lease.slice());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicReference<PooledBuffer> next = new AtomicReference<>();
        GatheringByteChannel channel = new GatheringByteChannel() {
            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) {
                if (next.get() == null) {
                    lease.close();
                    PooledBuffer n = pool.acquire(BLOCK);
                    next.set(n);
                    Slice s = n.slice();
                    for (int i = 0; i < BLOCK; i += 8) {
                        s.putLong(i, 0x5EC2E75EC2E75EC2L);
                    }
                }
                long written = 0;
                for (int k = offset; k < offset + length; k++) {
                    while (srcs[k].hasRemaining()) {
                        out.write(srcs[k].get());
                        written++;
                    }
                }
                return written;
            }

            @Override
            public long write(ByteBuffer[] srcs) {
                return write(srcs, 0, srcs.length);
            }

            @Override
            public int write(ByteBuffer src) {
                return (int) write(new ByteBuffer[] {src}, 0, 1);
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        assertThatThrownBy(() -> response.writeTo(channel)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released");
        assertThat(pool.stats().hits()).as("the next lease got the same block").isEqualTo(1);
        next.get().close();
    }

    /**
     * Thread R copies out of a stale view with {@code putBytes}; thread M releases the lease, takes
     * the block again and stamps it. R may only see its own stamp, or get IllegalStateException
     * with its destination holding none of M's bytes.
     */
    @Test
    void putBytesFromAStaleLeaseNeverKeepsTheNextOwnersBytes() throws Exception {
        raceRounds((stale, dst) -> dst.putBytes(0, stale), "putBytes");
    }

    @Test
    void copyToFromAStaleLeaseNeverKeepsTheNextOwnersBytes() throws Exception {
        raceRounds((stale, dst) -> stale.copyTo(dst.toByteArrayView(), 0), "copyTo");
    }

    @Test
    void compositeToByteArrayOfAStaleLeaseNeverReturnsTheNextOwnersBytes() throws Exception {
        raceRounds((stale, dst) -> {
            byte[] all = CompositeSlice.of(stale).toByteArray();
            System.arraycopy(all, 0, dst.toByteArrayView(), 0, all.length);
        }, "CompositeSlice.toByteArray");
    }

    /** A read under test: copy {@code stale} into {@code dst}. */
    interface Read {
        void copy(Slice stale, Dst dst);
    }

    /** The reader's destination: an array and a Slice over it. */
    static final class Dst {
        final byte[] array = new byte[BLOCK];
        final Slice slice = Slice.wrap(array);

        void putBytes(int index, Slice src) {
            slice.putBytes(index, src);
        }

        byte[] toByteArrayView() {
            return array;
        }
    }

    private void raceRounds(Read read, String what) throws Exception {
        int leaks = 0;
        for (int round = 0; round < 40; round++) {
            byte mine = (byte) (2 * round + 1);
            byte theirs = (byte) (2 * round + 2);
            PooledBuffer lease = pool.acquire(BLOCK);
            Slice view = lease.slice();
            fill(view, mine);
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger calls = new AtomicInteger();
            AtomicInteger bad = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                started.countDown();
                Dst dst = new Dst();
                try {
                    for (int n = 0; n < 10_000_000; n++) {
                        Arrays.fill(dst.array, (byte) 0);
                        try {
                            read.copy(view, dst);
                        } catch (IllegalStateException released) {
                            if (contains(dst.array, theirs)) {
                                bad.incrementAndGet(); // thrown, but left the next owner's bytes behind
                            }
                            return;
                        }
                        calls.incrementAndGet();
                        if (contains(dst.array, theirs)) {
                            bad.incrementAndGet();
                        }
                    }
                    failure.set(new AssertionError("the reader never saw the release"));
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "stale-reader");
            reader.setDaemon(true);
            reader.start();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
            while (calls.get() < 5 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            lease.close();
            try (PooledBuffer next = pool.acquire(BLOCK)) {
                Slice s = next.slice();
                for (int k = 0; k < 50 && reader.isAlive(); k++) {
                    fill(s, theirs);
                }
                reader.join(10_000);
                assertThat(reader.isAlive()).as("reader stopped within 10 s").isFalse();
            }
            assertThat(failure.get()).as(what).isNull();
            leaks += bad.get();
        }
        assertThat(leaks).as("%s calls on a stale view that kept the next owner's bytes", what).isZero();
    }

    private static void fill(Slice s, byte b) {
        long v = 0x0101010101010101L * (b & 0xFF);
        for (int i = 0; i < s.length(); i += 8) {
            s.putLong(i, v);
        }
    }

    private static boolean contains(byte[] a, byte b) {
        for (byte x : a) {
            if (x == b) {
                return true;
            }
        }
        return false;
    }
}
