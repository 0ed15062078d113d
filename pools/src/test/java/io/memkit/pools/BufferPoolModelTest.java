package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Random operation sequences against a plain model of leases: counters and bytes must always agree,
 * a refusal must be justified by the memory live leases can pin, Slices must see their lease's bytes
 * and fail once it is released, and closing the pool must leave open leases working.
 */
class BufferPoolModelTest {

    private static final int[] SIZES = {0, 1, 100, 256, 257, 1000, 4096, 5000, 20_000, 70_000};
    private static final long MAX_BYTES = 512 * 1024;

    private static long blockOf(int capacity, int maxPooled) {
        return LeaseModel.blockOf(capacity, maxPooled, Long.MAX_VALUE);
    }

    /**
     * The most reserved memory a live lease can keep from being freed by a trim: its whole slab (a
     * slab is freed only when all its blocks are idle), or its dedicated memory.
     */
    private static long pinnedBy(long block, int capacity, int maxPooled, long maxBytes) {
        if (capacity > maxPooled) {
            return block;
        }
        long blocks = Math.max(1, Math.min(Math.min(256, 65536 / block), maxBytes / 8 / block));
        return blocks * block;
    }

    @Provide
    Arbitrary<List<Tuple2<Integer, Integer>>> operations() {
        return Arbitraries.integers().between(0, 6).flatMap(op -> Arbitraries.integers().between(0, 40)
                .map(arg -> Tuple.of(op, arg))).list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 150)
    void countersFollowTheModel(@ForAll("operations") List<Tuple2<Integer, Integer>> ops, @ForAll boolean tight,
            @ForAll boolean waits, @ForAll boolean tracked) {
        int maxPooled = 16 * 1024;
        // A tight cap exercises exhaustion, trimming and re-carving; there a request may be served by
        // an idle block of a larger class, so bytes in use are only bounded below by the model.
        long maxBytes = tight ? MAX_BYTES : 64L << 20;
        BufferPool.Builder builder = BufferPool.builder().name("model").maxBytes(maxBytes).maxPooledCapacity(maxPooled)
                .leakDetection(tracked ? LeakDetection.PARANOID : LeakDetection.OFF);
        if (waits) {
            // single-threaded, nobody releases while it waits: a refusal after a short wait
            builder.whenExhausted(Exhausted.WAIT).acquireTimeout(java.time.Duration.ofMillis(1));
        }
        try (BufferPool pool = builder.build()) {
            List<LeaseModel> live = new ArrayList<>();
            List<PooledBuffer> released = new ArrayList<>();
            long acquires = 0;
            long releases = 0;
            long doubles = 0;
            long exhausted = 0;
            byte seed = 0;
            for (Tuple2<Integer, Integer> op : ops) {
                int arg = op.get2();
                switch (op.get1()) {
                    case 0:
                    case 1: {
                        int capacity = SIZES[arg % SIZES.length];
                        PooledBuffer b;
                        try {
                            b = pool.acquire(capacity);
                        } catch (PoolExhaustedException e) {
                            long pinned = 0;
                            for (LeaseModel m : live) {
                                pinned += pinnedBy(m.block, m.lease.capacity(), maxPooled, maxBytes);
                            }
                            assertThat(pinned + blockOf(capacity, maxPooled)).as("refused %d bytes with %d live "
                                    + "leases pinning at most %d of %d: %s", capacity, live.size(), pinned, maxBytes,
                                    e.getMessage()).isGreaterThan(maxBytes);
                            exhausted++;
                            break;
                        }
                        acquires++;
                        seed++;
                        for (int i = 0; i < capacity; i++) {
                            b.byteBuffer().put(i, (byte) (seed + i));
                        }
                        live.add(new LeaseModel(b, blockOf(capacity, maxPooled), seed));
                        break;
                    }
                    case 2: {
                        if (live.isEmpty()) {
                            break;
                        }
                        LeaseModel m = live.get(arg % live.size());
                        m.lease.close();
                        if (--m.refs == 0) {
                            live.remove(m);
                            released.add(m.lease);
                            releases++;
                        }
                        break;
                    }
                    case 3: {
                        if (live.isEmpty()) {
                            break;
                        }
                        LeaseModel m = live.get(arg % live.size());
                        m.lease.retain();
                        m.refs++;
                        break;
                    }
                    case 4: {
                        if (released.isEmpty()) {
                            break;
                        }
                        PooledBuffer stale = released.get(arg % released.size());
                        assertThatIllegalStateException().isThrownBy(stale::close);
                        doubles++;
                        break;
                    }
                    case 5: {
                        // a Slice sees its lease's bytes; a Slice of a released lease fails
                        if (!live.isEmpty()) {
                            LeaseModel m = live.get(arg % live.size());
                            io.memkit.buffers.Slice slice = m.lease.slice();
                            assertThat(slice.length()).isEqualTo(m.lease.capacity());
                            if (slice.length() > 0) {
                                int i = arg % slice.length();
                                assertThat(slice.getByte(i)).isEqualTo((byte) (m.seed + i));
                            }
                        }
                        if (!released.isEmpty()) {
                            PooledBuffer stale = released.get(arg % released.size());
                            assertThatIllegalStateException().isThrownBy(stale::slice);
                        }
                        break;
                    }
                    default:
                        pool.trim();
                        break;
                }
                BufferPoolStats s = pool.stats();
                long inUse = 0;
                for (LeaseModel m : live) {
                    inUse += m.block;
                    assertThat(m.lease.refCount()).isEqualTo(m.refs);
                }
                assertThat(s.acquires()).isEqualTo(acquires);
                assertThat(s.releases()).isEqualTo(releases);
                assertThat(s.liveLeases()).isEqualTo(live.size());
                if (tight) {
                    assertThat(s.bytesInUse()).isGreaterThanOrEqualTo(inUse);
                } else {
                    assertThat(s.bytesInUse()).isEqualTo(inUse);
                    assertThat(s.exhausted()).isZero();
                }
                assertThat(s.doubleReleases()).isEqualTo(doubles);
                assertThat(s.exhausted()).isEqualTo(exhausted);
                assertThat(s.acquires()).isEqualTo(s.hits() + s.misses() + s.unpooled());
                assertThat(s.bytesReserved()).isEqualTo(s.bytesInUse() + s.bytesIdle()).isLessThanOrEqualTo(maxBytes);
                assertThat(s.peakBytesReserved()).isLessThanOrEqualTo(maxBytes);
            }
            for (LeaseModel m : live) {
                for (int i = 0; i < m.lease.capacity(); i++) {
                    assertThat(m.lease.byteBuffer().get(i)).isEqualTo((byte) (m.seed + i));
                }
            }
            for (LeaseModel m : live) {
                for (int i = 0; i < m.refs; i++) {
                    m.lease.close();
                }
            }
            assertThat(pool.stats().liveLeases()).isZero();
            pool.trim();
            assertThat(pool.stats().bytesReserved()).isZero();
        }
    }

    @Property(tries = 50)
    void closingThePoolKeepsOpenLeasesAndFreesTheirMemoryWhenTheyEnd(
            @ForAll("operations") List<Tuple2<Integer, Integer>> ops) {
        BufferPool pool = BufferPool.builder().name("model-close").maxBytes(MAX_BYTES).maxPooledCapacity(16 * 1024)
                .leakDetection(LeakDetection.OFF).build();
        List<LeaseModel> live = new ArrayList<>();
        byte seed = 0;
        for (Tuple2<Integer, Integer> op : ops) {
            int capacity = SIZES[op.get2() % SIZES.length];
            if (op.get1() < 4) {
                try {
                    PooledBuffer b = pool.acquire(capacity);
                    seed++;
                    for (int i = 0; i < capacity; i++) {
                        b.byteBuffer().put(i, (byte) (seed + i));
                    }
                    live.add(new LeaseModel(b, blockOf(capacity, 16 * 1024), seed));
                } catch (PoolExhaustedException full) {
                    assertThat(live).isNotEmpty();
                }
            } else if (!live.isEmpty()) {
                live.remove(op.get2() % live.size()).lease.close();
            }
        }
        pool.close();
        assertThatIllegalStateException().isThrownBy(() -> pool.acquire(10)).withMessageContaining("closed");
        for (LeaseModel m : live) {
            for (int i = 0; i < m.lease.capacity(); i++) {
                assertThat(m.lease.byteBuffer().get(i)).isEqualTo((byte) (m.seed + i));
            }
            m.lease.close();
        }
        BufferPoolStats s = pool.stats();
        assertThat(s.liveLeases()).isZero();
        assertThat(s.bytesReserved()).as("memory of a closed pool is dropped as its leases end").isZero();
    }
}
