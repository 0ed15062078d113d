package io.memkit.pools.internal;

import io.memkit.meter.internal.Stripes;
import io.memkit.meter.Instruments;
import io.memkit.pools.Exhausted;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.ObjectPool;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@link ObjectPool.Builder} behind {@link ObjectPool#builder(Supplier)}: checks each setting
 * as it is given and builds {@link StripedObjectPool}s. Defaults are listed on
 * {@link ObjectPool.Builder}. Not thread-safe.
 *
 * @param <T> the type of the pooled objects
 */
public final class ObjectPoolBuilder<T> implements ObjectPool.Builder<T> {

    /** Idle objects kept per stripe by default: 16 per processor with two stripes per processor. */
    static final int DEFAULT_IDLE_PER_STRIPE = 8;
    static final Duration DEFAULT_TIMEOUT = PoolDefaults.OBJECT_ACQUIRE_TIMEOUT;

    private final Supplier<? extends T> factory;
    private String name;
    private Consumer<? super T> reset;
    private Predicate<? super T> validate;
    /** -1: not set, use the default. */
    private int maxIdle = -1;
    /** -1: not set, unbounded. */
    private int maxTotal = -1;
    private Exhausted policy = Exhausted.WAIT;
    private Duration timeout = DEFAULT_TIMEOUT;
    private LeakDetection leakDetection = LeakDetection.SAMPLED;
    private Consumer<io.memkit.pools.LeakReport> leakListener;
    private Duration idleTimeout = IdleDecay.DEFAULT_TIMEOUT;
    private LongSupplier clock = System::nanoTime;

    /**
     * Starts a builder; see {@link ObjectPool#builder(Supplier)}.
     *
     * @param factory makes the objects
     * @throws NullPointerException if {@code factory} is {@code null}
     */
    public ObjectPoolBuilder(Supplier<? extends T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory must not be null");
    }

    @Override
    public ObjectPool.Builder<T> name(String name) {
        this.name = BuilderChecks.name(name);
        return this;
    }

    @Override
    public ObjectPool.Builder<T> reset(Consumer<? super T> onRelease) {
        this.reset = Objects.requireNonNull(onRelease, "reset (onRelease) must not be null");
        return this;
    }

    @Override
    public ObjectPool.Builder<T> validate(Predicate<? super T> keep) {
        this.validate = Objects.requireNonNull(keep, "validate (keep) must not be null");
        return this;
    }

    @Override
    public ObjectPool.Builder<T> maxIdle(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("maxIdle must be >= 0: " + count);
        }
        this.maxIdle = count;
        return this;
    }

    @Override
    public ObjectPool.Builder<T> maxTotal(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("maxTotal must be >= 1: " + count);
        }
        this.maxTotal = count;
        return this;
    }

    @Override
    public ObjectPool.Builder<T> whenExhausted(Exhausted policy) {
        this.policy = Objects.requireNonNull(policy, "whenExhausted policy must not be null");
        return this;
    }

    @Override
    public ObjectPool.Builder<T> acquireTimeout(Duration timeout) {
        this.timeout = BuilderChecks.acquireTimeout(timeout);
        return this;
    }

    @Override
    public ObjectPool.Builder<T> leakDetection(LeakDetection level) {
        this.leakDetection = Objects.requireNonNull(level, "leakDetection level must not be null");
        return this;
    }

    @Override
    public ObjectPool.Builder<T> leakListener(Consumer<io.memkit.pools.LeakReport> listener) {
        this.leakListener = java.util.Objects.requireNonNull(listener, "listener must not be null");
        return this;
    }

    @Override
    public ObjectPool.Builder<T> idleTimeout(Duration timeout) {
        this.idleTimeout = IdleDecay.checkTimeout(timeout);
        return this;
    }

    /**
     * Sets the clock idle decay reads, so that tests drive idle time without sleeping.
     *
     * @param nanos nanoseconds, as {@link System#nanoTime()}
     * @return this builder
     */
    ObjectPoolBuilder<T> clock(LongSupplier nanos) {
        this.clock = Objects.requireNonNull(nanos, "clock must not be null");
        return this;
    }

    @Override
    public ObjectPool<T> build() {
        int total = maxTotal < 0 ? Integer.MAX_VALUE : maxTotal;
        int idle;
        if (maxIdle < 0) {
            idle = Math.min(total, DEFAULT_IDLE_PER_STRIPE * Stripes.COUNT);
        } else if (maxIdle > total) {
            throw new IllegalArgumentException("maxIdle must not exceed maxTotal: maxIdle " + maxIdle + " > maxTotal "
                    + total);
        } else {
            idle = maxIdle;
        }
        String poolName = name != null ? name : PoolDefaults.objectPoolName();
        StripedObjectPool<T> pool = new StripedObjectPool<>(poolName, factory, reset, validate, idle, total, policy,
                timeout, leakDetection, leakListener);
        pool.startDecay(idleTimeout, clock);
        Instruments.register(pool);
        PoolEvents.registerPeriodic();
        return pool;
    }
}
