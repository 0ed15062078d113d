package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.memkit.pools.LeakDetection;
import io.memkit.pools.ObjectPool;
import io.memkit.pools.ObjectPoolStats;
import io.memkit.pools.Pooled;
import io.memkit.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Idle decay of {@link StripedObjectPool}, on a clock the test moves: no sleeping. The shared
 * decay thread polls the pool too (reading the same clock), so a test waits for the step count
 * rather than for its own poll to run the step.
 */
class ObjectPoolIdleDecayTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    private static final long TICK = TIMEOUT.toNanos() / 8;

    /** An object that counts how many of its kind are open, and knows whether it is lent. */
    static final class Resource implements AutoCloseable {
        final AtomicInteger open;
        final java.util.concurrent.atomic.AtomicBoolean lent = new java.util.concurrent.atomic.AtomicBoolean();
        volatile boolean closed;

        Resource(AtomicInteger open) {
            this.open = open;
            open.incrementAndGet();
        }

        @Override
        public void close() {
            closed = true;
            open.decrementAndGet();
        }
    }

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();

    private StripedObjectPool<Resource> pool(Duration idleTimeout, int maxIdle) {
        ObjectPoolBuilder<Resource> builder = (ObjectPoolBuilder<Resource>) ObjectPool.builder(() -> new Resource(open));
        builder.clock(now::get).idleTimeout(idleTimeout).maxIdle(maxIdle).maxTotal(maxIdle)
                .leakDetection(LeakDetection.OFF).name("decay-test");
        return (StripedObjectPool<Resource>) builder.build();
    }

    /** Moves the clock on by {@code nanos} (less than half a timeout) and waits until any step now due ran. */
    private void advance(StripedObjectPool<?> pool, long nanos) {
        long half = TIMEOUT.toNanos() / 2;
        IdleDecay decay = pool.decay();
        long done = decay.steps(); // read before the clock moves: the shared thread may step at once
        long before = now.getAndAdd(nanos);
        // steps fall on multiples of half a timeout, as the clock starts at 0
        long due = done + (now.get() / half - before / half);
        Waits.until("decay step " + due + " ran", () -> {
            decay.poll();
            return decay.steps() >= due;
        });
    }

    private static List<Pooled<Resource>> acquire(ObjectPool<Resource> pool, int n) {
        List<Pooled<Resource>> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(pool.acquire());
        }
        return held;
    }

    @Test
    void afterABurstIdleFallsToWhatTheTrickleUsesWithinTwoTimeoutsAndNeverBelow() {
        int burst = 64;
        int trickle = 3;
        StripedObjectPool<Resource> pool = pool(TIMEOUT, burst);
        try {
            acquire(pool, burst).forEach(Pooled::close);
            assertThat(pool.stats().idle()).isEqualTo(burst);
            long end = 2 * TIMEOUT.toNanos();
            while (now.get() < end) {
                List<Pooled<Resource>> used = acquire(pool, trickle);
                ObjectPoolStats lent = pool.stats();
                assertThat(lent.inUse()).isEqualTo(trickle);
                used.forEach(Pooled::close);
                advance(pool, TICK);
                ObjectPoolStats s = pool.stats();
                assertThat(s.idle()).as("idle at %d ticks", now.get() / TICK).isGreaterThanOrEqualTo(trickle);
                assertThat(s.idle()).isEqualTo(open.get());
            }
            ObjectPoolStats s = pool.stats();
            assertThat(s.idle()).as("idle after two timeouts").isEqualTo(trickle);
            assertThat(s.discarded()).isEqualTo(burst - trickle);
            assertThat(s.created()).as("the trickle never had to make an object").isEqualTo(burst);
            assertThat(open).as("dropped objects are closed").hasValue(trickle);
            // the overflow kept no dead entries: a new burst fills every idle place again
            acquire(pool, burst).forEach(Pooled::close);
            assertThat(pool.stats().idle()).isEqualTo(burst);
        } finally {
            pool.close();
        }
        assertThat(open).hasValue(0);
    }

    @Test
    void nothingDecaysWhileLent() {
        int n = 40;
        StripedObjectPool<Resource> pool = pool(TIMEOUT, n);
        try {
            List<Pooled<Resource>> held = acquire(pool, n);
            for (int i = 0; i < 40; i++) {
                advance(pool, TICK);
            }
            assertThat(pool.stats().inUse()).isEqualTo(n);
            assertThat(pool.stats().discarded()).isZero();
            held.forEach(h -> assertThat(h.isReleased()).isFalse());
            held.forEach(Pooled::close);
            assertThat(pool.stats().idle()).as("idle since just now").isEqualTo(n);
            advance(pool, TICK);
            assertThat(pool.stats().idle()).isEqualTo(n);
            for (int i = 0; i < 16; i++) {
                advance(pool, TICK);
            }
            assertThat(pool.stats().idle()).as("idle for two timeouts").isZero();
            assertThat(open).hasValue(0);
        } finally {
            pool.close();
        }
    }

    @Test
    void zeroTurnsDecayOff() {
        StripedObjectPool<Resource> pool = pool(Duration.ZERO, 16);
        try {
            acquire(pool, 16).forEach(Pooled::close);
            now.addAndGet(TIMEOUT.toNanos() * 100);
            assertThat(pool.decay()).isNull();
            assertThat(pool.stats().idle()).isEqualTo(16);
            assertThat(open).hasValue(16);
        } finally {
            pool.close();
        }
    }

    @Test
    void decayIsOnByDefault() {
        StripedObjectPool<Resource> pool = (StripedObjectPool<Resource>) ObjectPool.builder(() -> new Resource(open))
                .build();
        try {
            assertThat(pool.decay()).isNotNull();
        } finally {
            pool.close();
        }
    }

    /**
     * Decay steps racing with acquires and closes on other threads: an object is never lent to two
     * holders, never lent after decay dropped it, and the counters add up.
     */
    @Test
    void decayRacingWithLoansNeverLendsADroppedObject() throws Exception {
        StripedObjectPool<Resource> pool = pool(TIMEOUT, 32);
        IdleDecay decay = pool.decay();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int burst = 1 + w * 5;
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < 20_000; i++) {
                        List<Pooled<Resource>> held = acquire(pool, 1 + i % burst);
                        for (Pooled<Resource> h : held) {
                            Resource r = h.get();
                            if (r.closed || !r.lent.compareAndSet(false, true)) {
                                throw new AssertionError("lent while dropped (" + r.closed + ") or lent twice");
                            }
                        }
                        for (Pooled<Resource> h : held) {
                            h.get().lent.set(false);
                            h.close();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "loans-" + w);
            t.start();
            workers.add(t);
        }
        Thread decayer = new Thread(() -> {
            while (!stop.get()) {
                now.addAndGet(TIMEOUT.toNanos() / 2);
                decay.poll();
                Thread.yield();
            }
        }, "decayer");
        decayer.start();
        try {
            for (Thread t : workers) {
                Waits.join(t);
            }
        } finally {
            stop.set(true);
            Waits.join(decayer);
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        ObjectPoolStats s = pool.stats();
        assertThat(s.inUse()).isZero();
        assertThat(s.idle()).isEqualTo(s.created() - s.discarded()).isEqualTo(open.get());
        assertThat(s.acquires()).isEqualTo(s.releases());
        pool.close();
        assertThat(open).hasValue(0);
    }
}
