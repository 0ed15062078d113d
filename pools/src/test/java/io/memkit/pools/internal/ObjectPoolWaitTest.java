package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.memkit.meter.internal.Stripes;
import io.memkit.pools.Exhausted;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.ObjectPool;
import io.memkit.pools.Pooled;
import io.memkit.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * WAIT never loses a wake-up: a release racing with a waiter's registration either is seen by
 * the waiter or wakes it. A lost wake-up shows as a thread sleeping out its whole (long) acquire
 * timeout, beyond the tests' bounded joins, so the tests assert that every round completes, never
 * how fast.
 */
class ObjectPoolWaitTest {

    /**
     * Longer than the tests' bounded joins ({@link Waits#SECONDS}): a waiter that misses a release
     * sleeps this long and fails the join, where one that is woken takes microseconds.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(2 * Waits.SECONDS);

    /**
     * The close reads the waiter count right after ending the loan, before its reset, so a waiter
     * that registers while the reset runs is not woken by it: it must see the return in flight
     * and wait for it rather than sleep. The reset here returns only once the waiter has
     * registered and is parked, which makes the race deterministic.
     */
    @Test
    void waiterArrivingWhileTheObjectIsBeingReturnedGetsIt() throws Exception {
        waiterArrivingDuringReturn(1); // no home positions: the object idles on the overflow stack
        waiterArrivingDuringReturn(Stripes.COUNT); // one home position per stripe, no overflow
    }

    private static void waiterArrivingDuringReturn(int total) throws Exception {
        AtomicReference<StripedObjectPool<StringBuilder>> poolRef = new AtomicReference<>();
        AtomicReference<Thread> waiterRef = new AtomicReference<>();
        AtomicReference<CountDownLatch> inReset = new AtomicReference<>();
        ObjectPool<StringBuilder> built = ObjectPool.builder(StringBuilder::new).name("wait-during-return-" + total)
                .maxTotal(total).maxIdle(total).whenExhausted(Exhausted.WAIT).acquireTimeout(TIMEOUT)
                .leakDetection(LeakDetection.OFF).reset(sb -> {
                    CountDownLatch latch = inReset.getAndSet(null); // only the holder's close, not the waiter's
                    if (latch != null) {
                        latch.countDown();
                        Waits.until("the waiter registers", () -> poolRef.get().waiting() > 0);
                        Waits.untilTimedWaiting(waiterRef.get());
                    }
                    sb.setLength(0);
                }).build();
        StripedObjectPool<StringBuilder> pool = (StripedObjectPool<StringBuilder>) built;
        poolRef.set(pool);
        List<Pooled<StringBuilder>> ballast = new ArrayList<>();
        try {
            for (int i = 1; i < total; i++) {
                ballast.add(pool.acquire());
            }
            for (int round = 0; round < 20; round++) {
                Pooled<StringBuilder> held = pool.acquire();
                CountDownLatch latch = new CountDownLatch(1);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread waiter = new Thread(() -> {
                    try {
                        latch.await();
                        try (Pooled<StringBuilder> got = pool.acquire()) {
                            got.get().append("waiter");
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }, "waiter-" + round);
                waiterRef.set(waiter);
                inReset.set(latch);
                waiter.start();
                held.close(); // its reset starts the waiter and returns once it is parked
                Waits.join(waiter);
                assertThat(failure.get()).as("maxTotal %d, round %d: the waiter's acquire", total, round).isNull();
            }
            assertThat(pool.stats().created()).isEqualTo(total);
            assertThat(pool.waiting()).isZero();
        } finally {
            ballast.forEach(Pooled::close);
            pool.close();
        }
    }

    /**
     * maxTotal 1 (the object idles on the overflow) and one object per stripe (each in its home),
     * all but one held throughout: a holder releases at a random moment around a waiter's arrival, with and without
     * a reset (without one the race is between the release store and the waiter's scan).
     */
    @Test
    void releaseRacingWithAWaitersArrivalAlwaysReachesIt() throws Exception {
        for (int total : new int[] {1, Stripes.COUNT}) {
            releaseRacingWithArrival(total, false);
            releaseRacingWithArrival(total, true);
        }
    }

    private static void releaseRacingWithArrival(int total, boolean withReset) throws Exception {
        ObjectPool.Builder<StringBuilder> builder = ObjectPool.builder(StringBuilder::new)
                .name("wait-race-" + total + "-" + withReset).maxTotal(total).maxIdle(total)
                .whenExhausted(Exhausted.WAIT).acquireTimeout(TIMEOUT).leakDetection(LeakDetection.OFF);
        if (withReset) {
            builder.reset(sb -> sb.setLength(0));
        }
        ObjectPool<StringBuilder> pool = builder.build();
        List<Pooled<StringBuilder>> ballast = new ArrayList<>();
        for (int i = 1; i < total; i++) {
            ballast.add(pool.acquire());
        }
        int rounds = 500;
        CyclicBarrier start = new CyclicBarrier(2);
        CyclicBarrier end = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // Each round: the holder has the one free object; after the start barrier both spin a
        // random while, then the holder closes and the waiter acquires (waiting if it comes first).
        Thread holder = racer("racing-holder", rounds, start, end, failure, () -> {
            Pooled<StringBuilder> held = pool.acquire();
            start.await();
            spin(ThreadLocalRandom.current().nextInt(200));
            held.close();
        });
        Thread waiter = racer("racing-waiter", rounds, start, end, failure, () -> {
            start.await();
            spin(ThreadLocalRandom.current().nextInt(200));
            try (Pooled<StringBuilder> got = pool.acquire()) {
                got.get().append('x');
            }
        });
        try {
            // A lost wake-up leaves a thread waiting for the whole acquire timeout, longer than these joins.
            Waits.join(holder);
            Waits.join(waiter);
            if (failure.get() != null) {
                throw new AssertionError("maxTotal " + total + ", reset " + withReset, failure.get());
            }
            assertThat(pool.stats().acquires()).isEqualTo(2L * rounds + total - 1);
        } finally {
            ballast.forEach(Pooled::close);
            pool.close();
        }
    }

    /** One round's work, which may wait on the barriers. */
    private interface Round {
        void run() throws Exception;
    }

    private static Thread racer(String name, int rounds, CyclicBarrier start, CyclicBarrier end,
            AtomicReference<Throwable> failure, Round round) {
        Thread t = new Thread(() -> {
            try {
                for (int r = 0; r < rounds; r++) {
                    round.run();
                    end.await(); // the holder acquires again only after this round's waiter did
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
                start.reset();
                end.reset();
            }
        }, name);
        t.start();
        return t;
    }

    private static void spin(int n) {
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
    }
}
