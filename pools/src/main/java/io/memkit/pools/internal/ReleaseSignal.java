package io.memkit.pools.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets threads that found a pool exhausted wait until something is released, without costing
 * the release path more than one volatile read while nobody waits.
 *
 * <p>Lost wake-ups are impossible: a waiter announces itself (atomic increment, a full fence)
 * before its last attempt, and a releaser makes its release visible (a CAS or volatile write in
 * the pool) before it reads the waiter count. So either the waiter's last attempt sees the
 * release, or the releaser sees the waiter and bumps the epoch the waiter sleeps on.
 *
 * <p>Waiting uses a {@link ReentrantLock} and {@link Condition}, never {@code synchronized}, so a
 * waiting virtual thread unmounts from its carrier. Thread-safe.
 */
public final class ReleaseSignal {

    /** One try at the pool's fast path; {@code null} means "nothing available now". */
    @FunctionalInterface
    public interface Attempt<T> {
        /**
         * Tries once, without blocking.
         *
         * @return the result, or {@code null} if the pool is exhausted now
         */
        T tryOnce();
    }

    private final AtomicInteger waiters = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    /** Guarded by lock. */
    private long epoch;

    /**
     * Called after each release has been made visible: wakes waiters if there are any.
     * One volatile read when nobody waits.
     */
    public void signal() {
        if (waiters.get() != 0) {
            wakeAll();
        }
    }

    private void wakeAll() {
        lock.lock();
        try {
            epoch++;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retries {@code attempt} each time something is released, until it succeeds or
     * {@code timeoutNanos} have passed.
     *
     * @param attempt      the non-blocking try
     * @param timeoutNanos how long to wait at most; {@code <= 0} tries once
     * @param <T>          the result type
     * @return the first non-null result, or {@code null} on timeout
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public <T> T retryUntil(Attempt<T> attempt, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        waiters.incrementAndGet();
        try {
            while (true) {
                long seen;
                lock.lock();
                try {
                    seen = epoch;
                } finally {
                    lock.unlock();
                }
                T result = attempt.tryOnce();
                if (result != null) {
                    return result;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                lock.lockInterruptibly();
                try {
                    while (epoch == seen && left > 0) {
                        left = released.awaitNanos(left);
                    }
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    /**
     * The number of threads waiting now; for tests and diagnostics.
     *
     * @return waiting threads
     */
    public int waiting() {
        return waiters.get();
    }

    /**
     * Converts a timeout to nanoseconds, saturating instead of overflowing.
     *
     * @param duration the timeout
     * @return nanoseconds, at most {@link Long#MAX_VALUE}
     */
    public static long nanos(java.time.Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
