package io.memkit.pools.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The defaults both pool builders start from, in one place so that a difference is a decision.
 *
 * <p>They differ in what exhaustion means. A {@code BufferPool} is exhausted when the direct memory
 * cap is reached, which in a running service signals a leak or a cap set too low: its default is
 * {@code FAIL}, and under {@code WAIT} it waits {@link #BUFFER_ACQUIRE_TIMEOUT} (a buffer is held
 * for one I/O operation, so one that has not come back within a second will not come soon). An
 * {@code ObjectPool} is exhausted only under a {@code maxTotal} the user chose to bound a resource
 * (as with connection pools), so its default is {@code WAIT} for {@link #OBJECT_ACQUIRE_TIMEOUT},
 * long enough to ride out a burst, short enough to surface a deadlock.
 */
final class PoolDefaults {
    /** {@code WAIT}'s default timeout in a {@code BufferPool}. */
    static final Duration BUFFER_ACQUIRE_TIMEOUT = Duration.ofSeconds(1);
    /** {@code WAIT}'s default timeout in an {@code ObjectPool}. */
    static final Duration OBJECT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

    private static final AtomicInteger BUFFER_POOLS = new AtomicInteger();
    private static final AtomicInteger OBJECT_POOLS = new AtomicInteger();

    private PoolDefaults() {
    }

    /**
     * The next default {@code BufferPool} name.
     *
     * @return {@code BufferPool-N}, N counting buffer pools built without a name in this JVM
     */
    static String bufferPoolName() {
        return "BufferPool-" + BUFFER_POOLS.incrementAndGet();
    }

    /**
     * The next default {@code ObjectPool} name.
     *
     * @return {@code ObjectPool-N}, N counting object pools built without a name in this JVM
     */
    static String objectPoolName() {
        return "ObjectPool-" + OBJECT_POOLS.incrementAndGet();
    }
}
