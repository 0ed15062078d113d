package io.memkit.pools.internal;

import io.memkit.pools.BufferPool;
import io.memkit.pools.Exhausted;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.LeakReport;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The {@link BufferPool.Builder} behind {@link BufferPool#builder()}: checks each setting as it is
 * given and builds {@link DirectBufferPool}s. Defaults are listed on {@link BufferPool#builder()}.
 * Not thread-safe.
 */
public final class BufferPoolBuilder implements BufferPool.Builder {
    String name;
    /**
     * Unset (-1) until {@link #maxBytes(long)}: the default, three quarters of the JVM's limit,
     * is read from the management beans only for a pool built without a cap.
     */
    long maxBytes = -1;
    int maxPooledCapacity = DirectBufferPool.DEFAULT_MAX_POOLED_CAPACITY;
    Exhausted whenExhausted = Exhausted.FAIL;
    Duration acquireTimeout = DirectBufferPool.DEFAULT_ACQUIRE_TIMEOUT;
    LeakDetection leakDetection = LeakDetection.SAMPLED;
    Consumer<LeakReport> leakListener;
    Duration idleTimeout = IdleDecay.DEFAULT_TIMEOUT;
    LongSupplier clock = System::nanoTime;

    /** Creates a builder with the defaults listed in {@link BufferPool#builder()}. */
    public BufferPoolBuilder() {
    }

    @Override
    public BufferPoolBuilder name(String name) {
        this.name = BuilderChecks.name(name);
        return this;
    }

    @Override
    public BufferPoolBuilder maxBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1: " + bytes);
        }
        this.maxBytes = bytes;
        return this;
    }

    @Override
    public BufferPoolBuilder maxPooledCapacity(int bytes) {
        if (bytes < 0 || bytes > SizeClasses.MAX_CAPACITY) {
            throw new IllegalArgumentException("maxPooledCapacity must be in [0, " + SizeClasses.MAX_CAPACITY
                    + "]: " + bytes);
        }
        this.maxPooledCapacity = bytes;
        return this;
    }

    @Override
    public BufferPoolBuilder whenExhausted(Exhausted policy) {
        this.whenExhausted = Objects.requireNonNull(policy, "policy must not be null");
        return this;
    }

    @Override
    public BufferPoolBuilder acquireTimeout(Duration timeout) {
        this.acquireTimeout = BuilderChecks.acquireTimeout(timeout);
        return this;
    }

    @Override
    public BufferPoolBuilder leakDetection(LeakDetection level) {
        this.leakDetection = Objects.requireNonNull(level, "level must not be null");
        return this;
    }

    @Override
    public BufferPoolBuilder leakListener(Consumer<LeakReport> listener) {
        this.leakListener = Objects.requireNonNull(listener, "listener must not be null");
        return this;
    }

    @Override
    public BufferPoolBuilder idleTimeout(Duration timeout) {
        this.idleTimeout = IdleDecay.checkTimeout(timeout);
        return this;
    }

    /**
     * The clock idle decay reads, in nanoseconds; for tests, which move it instead of sleeping.
     *
     * @param nanos the clock
     * @return this builder
     */
    public BufferPoolBuilder clock(LongSupplier nanos) {
        this.clock = Objects.requireNonNull(nanos, "clock must not be null");
        return this;
    }

    @Override
    public BufferPool build() {
        return DirectBufferPool.create(this, false);
    }
}
