package io.memkit.pools;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Operation sequences on one ObjectPool (acquire, close, stale close, a failing validation or reset,
 * stats, pool close) against a model of the counts and the caps. {@code mvn verify} replays the
 * committed corpus ({@code src/test/resources/io/memkit/pools/ObjectPoolFuzzTestInputs}); fuzz for
 * real with {@code JAZZER_FUZZ=1 mvn -pl pools -am test -Dtest=ObjectPoolFuzzTest}.
 */
class ObjectPoolFuzzTest {

    /** A pooled object whose fate at its next release the fuzzer decides. */
    static final class Item implements AutoCloseable {
        boolean held;
        boolean keep = true;
        boolean resetThrows;
        int closes;

        @Override
        public void close() {
            closes++;
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    @FuzzTest(maxDuration = "30s")
    @org.junit.jupiter.api.Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES) // room to fuzz for real
    void operationsFollowTheModel(FuzzedDataProvider data) {
        int maxTotal = data.consumeInt(1, 5);
        int maxIdle = data.consumeInt(0, maxTotal);
        ObjectPool<Item> pool = ObjectPool.builder(Item::new).name("fuzz").maxTotal(maxTotal).maxIdle(maxIdle)
                .whenExhausted(Exhausted.FAIL).reset(item -> {
                    item.held = false;
                    if (item.resetThrows) {
                        throw new IllegalStateException("reset failed on purpose");
                    }
                }).validate(item -> item.keep)
                .leakDetection(data.consumeBoolean() ? LeakDetection.PARANOID : LeakDetection.OFF).build();
        List<Pooled<Item>> live = new ArrayList<>();
        List<Pooled<Item>> released = new ArrayList<>();
        List<Item> dropped = new ArrayList<>();
        long acquires = 0;
        long releases = 0;
        long exhausted = 0;
        long discards = 0;
        boolean closed = false;
        try {
            for (int step = 0; step < 200 && data.remainingBytes() > 0; step++) {
                switch (data.consumeInt(0, 5)) {
                    case 0, 1 -> {
                        try {
                            Pooled<Item> p = pool.acquire();
                            check(!closed, "a closed pool lent an object");
                            check(live.size() < maxTotal, "lent beyond maxTotal");
                            check(!p.get().held, "an object was lent to two holders");
                            check(p.get().closes == 0, "a dropped object was lent again");
                            p.get().held = true;
                            live.add(p);
                            acquires++;
                        } catch (PoolExhaustedException e) {
                            check(live.size() == maxTotal, "exhausted with " + live.size() + " of " + maxTotal + " lent");
                            exhausted++;
                        } catch (IllegalStateException e) {
                            check(closed, "not closed, yet: " + e);
                        }
                    }
                    case 2 -> {
                        if (!live.isEmpty()) {
                            Pooled<Item> p = live.remove(data.consumeInt(0, live.size() - 1));
                            Item item = p.get();
                            item.keep = data.consumeInt(0, 3) != 0;
                            item.resetThrows = data.consumeInt(0, 7) == 0;
                            boolean dropExpected = !item.keep || item.resetThrows || closed;
                            try {
                                p.close();
                                check(!item.resetThrows, "the reset's exception was swallowed");
                            } catch (IllegalStateException e) {
                                check(item.resetThrows, "close failed: " + e);
                            }
                            releases++;
                            released.add(p);
                            if (dropExpected) {
                                check(item.closes == 1, "a dropped object was not closed");
                                dropped.add(item);
                                discards++;
                            } else if (item.closes == 1) {
                                dropped.add(item); // beyond maxIdle
                                discards++;
                            }
                            item.keep = true;
                            item.resetThrows = false;
                        }
                    }
                    case 3 -> {
                        if (!released.isEmpty()) {
                            Pooled<Item> stale = released.get(data.consumeInt(0, released.size() - 1));
                            try {
                                stale.close();
                                check(false, "a stale close succeeded");
                            } catch (IllegalStateException expected) {
                                check(stale.isReleased(), "stale handle says live");
                            }
                        }
                    }
                    case 4 -> {
                        if (data.consumeInt(0, 3) == 0) {
                            long idle = closed ? 0 : pool.stats().idle();
                            pool.close();
                            closed = true;
                            discards += idle; // idle objects are dropped by the close
                        }
                    }
                    default -> {
                        // stats only, checked below
                    }
                }
                ObjectPoolStats s = pool.stats();
                check(s.acquires() == acquires && s.releases() == releases && s.inUse() == live.size()
                        && s.exhausted() == exhausted && s.discarded() == discards, "counts " + s);
                check(s.acquires() == s.created() + s.reused(), "created+reused " + s);
                check(s.idle() <= maxIdle && s.idle() + s.inUse() <= maxTotal && s.peakInUse() <= maxTotal, "caps " + s);
                check(s.created() - s.discarded() >= s.idle() + s.inUse(), "alive " + s);
                check(!closed || s.idle() == 0, "a closed pool keeps idle objects " + s);
            }
        } finally {
            for (Pooled<Item> p : live) {
                p.get().keep = true;
                p.get().resetThrows = false;
                p.close();
            }
            pool.close();
            ObjectPoolStats end = pool.stats();
            check(end.inUse() == 0 && end.idle() == 0, "after close " + end);
            for (Item item : dropped) {
                check(item.closes == 1, "a dropped object was closed " + item.closes + " times");
            }
        }
    }
}
