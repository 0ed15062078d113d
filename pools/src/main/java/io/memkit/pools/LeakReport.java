package io.memkit.pools;

import java.util.Objects;

/**
 * A lease (or an object pool's loan) that was garbage-collected without being closed, as passed to
 * the listener set with {@link BufferPool.Builder#leakListener} or
 * {@link ObjectPool.Builder#leakListener}.
 *
 * @param poolName   the pool's name
 * @param capacity   the capacity asked for
 * @param acquiredAt the acquiring stack, starting at the caller of {@code acquire}
 * @param reclaimed  {@code true} if the memory went back to the pool; {@code false} if a raw
 *                   {@code ByteBuffer} view of it had escaped, so that it stays quarantined
 */
public record LeakReport(String poolName, int capacity, StackTraceElement[] acquiredAt, boolean reclaimed) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws NullPointerException     if a reference component is {@code null}
     */
    public LeakReport {
        Objects.requireNonNull(poolName, "poolName must not be null");
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        Objects.requireNonNull(acquiredAt, "acquiredAt must not be null");
    }
}
