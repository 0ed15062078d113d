package io.memkit.pools;

import java.time.Duration;
import java.util.Objects;

/**
 * A live lease that leak detection tracks, as listed by {@link BufferPool#outstanding()}.
 *
 * @param capacity   the capacity asked for
 * @param age        how long ago it was acquired
 * @param threadName the name of the acquiring thread (empty for an unnamed virtual thread)
 * @param acquiredAt the acquiring stack, starting at the caller of {@code acquire}
 */
public record LeaseInfo(int capacity, Duration age, String threadName, StackTraceElement[] acquiredAt) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws NullPointerException     if a reference component is {@code null}
     */
    public LeaseInfo {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        Objects.requireNonNull(age, "age must not be null");
        Objects.requireNonNull(threadName, "threadName must not be null");
        Objects.requireNonNull(acquiredAt, "acquiredAt must not be null");
    }
}
