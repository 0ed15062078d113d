package io.memkit.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waits for tests: every wait ends in a failure with a reason, never in a hang. */
public final class Waits {
    /** The longest any test here waits for another thread. */
    public static final long SECONDS = 30;

    private Waits() {
    }

    /**
     * Waits until {@code condition} holds, yielding between looks, for at most {@link #SECONDS}.
     *
     * @param what      what is awaited, for the failure message
     * @param condition the condition
     */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + SECONDS + " s: " + what);
            }
            Thread.yield();
        }
    }

    /**
     * Waits until {@code t} is parked in a timed wait (as a thread waiting with a timeout for a
     * pool's release is), so that what the test does next happens while it really waits.
     *
     * @param t the thread
     */
    public static void untilTimedWaiting(Thread t) {
        until(t.getName() + " blocked in a timed wait", () -> t.getState() == Thread.State.TIMED_WAITING);
    }

    /**
     * Joins {@code t} for at most {@link #SECONDS}.
     *
     * @param t the thread
     * @throws InterruptedException if interrupted
     */
    public static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(SECONDS));
        if (t.isAlive()) {
            throw new AssertionError(t.getName() + " did not end within " + SECONDS + " s");
        }
    }
}
