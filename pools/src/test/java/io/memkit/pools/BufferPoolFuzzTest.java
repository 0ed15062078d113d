package io.memkit.pools;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Operation sequences on one BufferPool (acquire, retain, close, stale close, trim, stats, slices,
 * pool close) against a model of the counts and the cap. {@code mvn verify} replays the committed
 * corpus ({@code src/test/resources/io/memkit/pools/BufferPoolFuzzTestInputs}); fuzz for real with
 * {@code JAZZER_FUZZ=1 mvn -pl pools -am test -Dtest=BufferPoolFuzzTest -Djazzer.max_duration=10m}.
 */
class BufferPoolFuzzTest {

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    @FuzzTest(maxDuration = "30s")
    @org.junit.jupiter.api.Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES) // room to fuzz for real
    void operationsFollowTheModel(FuzzedDataProvider data) {
        long maxBytes = data.consumeLong(1, 96 * 1024);
        int maxPooled = data.consumeInt(0, 32 * 1024);
        BufferPool pool = BufferPool.builder().name("fuzz").maxBytes(maxBytes).maxPooledCapacity(maxPooled)
                .leakDetection(data.consumeBoolean() ? LeakDetection.PARANOID : LeakDetection.OFF).build();
        List<LeaseModel> live = new ArrayList<>();
        List<PooledBuffer> released = new ArrayList<>();
        long acquires = 0;
        long releases = 0;
        long doubles = 0;
        long exhausted = 0;
        boolean closed = false;
        byte seed = 0;
        try {
            for (int step = 0; step < 200 && data.remainingBytes() > 0; step++) {
                int op = data.consumeInt(0, 7);
                switch (op) {
                    case 0, 1 -> {
                        int capacity = data.consumeInt(0, (int) Math.min(maxBytes + 1, 40_000));
                        try {
                            PooledBuffer b = pool.acquire(capacity);
                            check(!closed, "a closed pool served an acquire");
                            check(capacity <= maxBytes, "served " + capacity + " above maxBytes " + maxBytes);
                            check(b.capacity() == capacity && b.refCount() == 1, "fresh lease " + b);
                            seed++;
                            if (capacity > 0) {
                                b.byteBuffer().put(0, seed).put(capacity - 1, seed);
                            }
                            live.add(new LeaseModel(b, LeaseModel.blockOf(capacity, maxPooled, maxBytes), seed));
                            acquires++;
                        } catch (IllegalArgumentException e) {
                            check(capacity > maxBytes, "refused " + capacity + " within maxBytes: " + e);
                        } catch (IllegalStateException e) {
                            check(closed, "not closed, yet: " + e);
                        } catch (PoolExhaustedException e) {
                            check(!closed, "closed pool said exhausted");
                            exhausted++;
                        }
                    }
                    case 2 -> {
                        if (!live.isEmpty()) {
                            LeaseModel m = live.get(data.consumeInt(0, live.size() - 1));
                            m.lease.retain();
                            m.refs++;
                        }
                    }
                    case 3 -> {
                        if (!live.isEmpty()) {
                            LeaseModel m = live.get(data.consumeInt(0, live.size() - 1));
                            if (m.lease.capacity() > 0) {
                                check(m.lease.byteBuffer().get(0) == m.seed
                                        && m.lease.byteBuffer().get(m.lease.capacity() - 1) == m.seed, "bytes of a lease changed");
                            }
                            m.lease.close();
                            if (--m.refs == 0) {
                                live.remove(m);
                                released.add(m.lease);
                                releases++;
                                check(m.lease.isReleased(), "last close did not release");
                            }
                        }
                    }
                    case 4 -> {
                        if (!released.isEmpty()) {
                            PooledBuffer stale = released.get(data.consumeInt(0, released.size() - 1));
                            try {
                                stale.close();
                                check(false, "a stale close succeeded");
                            } catch (IllegalStateException expected) {
                                doubles++;
                            }
                            try {
                                stale.slice();
                                check(false, "a stale lease made a Slice");
                            } catch (IllegalStateException expected) {
                                // the promise
                            }
                        }
                    }
                    case 5 -> pool.trim();
                    case 6 -> {
                        if (!live.isEmpty()) {
                            LeaseModel m = live.get(data.consumeInt(0, live.size() - 1));
                            io.memkit.buffers.Slice s = m.lease.slice();
                            check(s.length() == m.lease.capacity(), "slice length");
                            if (m.lease.capacity() > 0) {
                                check(s.getByte(0) == m.seed, "slice byte");
                            }
                        }
                    }
                    default -> {
                        if (data.consumeInt(0, 3) == 0) {
                            pool.close();
                            closed = true;
                        }
                    }
                }
                BufferPoolStats s = pool.stats();
                long inUse = 0;
                for (LeaseModel m : live) {
                    inUse += m.block;
                    check(m.lease.refCount() == m.refs, "refCount");
                }
                check(s.acquires() == acquires && s.releases() == releases && s.liveLeases() == live.size()
                        && s.doubleReleases() == doubles && s.exhausted() == exhausted, "counts " + s);
                check(s.acquires() == s.hits() + s.misses() + s.unpooled(), "hits+misses+unpooled " + s);
                check(s.bytesInUse() >= inUse || closed, "bytes in use " + s + " below the model's " + inUse);
                check(s.bytesIdle() >= 0 && s.bytesQuarantined() == 0, "idle/quarantine " + s);
                check(s.bytesReserved() <= s.peakBytesReserved() && s.peakBytesReserved() <= maxBytes, "cap " + s);
            }
        } finally {
            for (LeaseModel m : live) {
                for (int i = 0; i < m.refs; i++) {
                    m.lease.close();
                }
            }
            pool.trim();
            BufferPoolStats end = pool.stats();
            pool.close();
            check(end.liveLeases() == 0 && end.bytesReserved() == 0, "after every lease ended: " + end);
        }
    }
}
