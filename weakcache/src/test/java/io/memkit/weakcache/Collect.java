package io.memkit.weakcache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for the collector, or for a condition, with a bound, the way every waiting test here does. */
public final class Collect {
    private Collect() {
    }

    /**
     * Calls {@code System.gc()} (and {@code step} work) until {@code done} holds, at most 50 times or 30 s (a bound for a loaded machine; it returns as soon as {@code done} holds).
     *
     * @throws AssertionError naming {@code what} when it never holds
     */
    public static void until(String what, BooleanSupplier done, Runnable step) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int attempt = 1; attempt <= 50; attempt++) {
            System.gc();
            step.run();
            if (done.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("gave up waiting after 50 System.gc() calls or 30 s: " + what);
    }

    /**
     * Checks {@code done} every millisecond, without collecting or calling anything else, until it
     * holds or {@code millis} have passed; returns how long it took.
     *
     * @throws AssertionError naming {@code what} when it does not hold in time
     */
    public static long within(String what, long millis, BooleanSupplier done) {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /**
     * Joins {@code t} for at most 30 s.
     *
     * @throws AssertionError when {@code t} still runs then
     */
    public static void join(Thread t) throws InterruptedException {
        t.join(30_000);
        if (t.isAlive()) {
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement e : t.getStackTrace()) {
                stack.append("\n  at ").append(e);
            }
            throw new AssertionError(t + " still runs after 30 s, in state " + t.getState() + stack);
        }
    }
}
