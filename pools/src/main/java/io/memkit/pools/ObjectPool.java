package io.memkit.pools;

import io.memkit.meter.Instrumented;
import io.memkit.pools.internal.ObjectPoolBuilder;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A bounded pool of reusable objects: scratch buffers, builders, encoders, objects that are costly
 * to construct. {@link #acquire()} lends an object through a {@link Pooled} handle; closing the
 * handle resets the object, validates it, and keeps it for the next acquire or drops it.
 *
 * <pre>{@code
 * ObjectPool<StringBuilder> builders = ObjectPool.builder(() -> new StringBuilder(256))
 *         .reset(sb -> sb.setLength(0))
 *         .validate(sb -> sb.capacity() <= 64 * 1024)   // don't keep a builder that grew huge
 *         .build();
 * try (Pooled<StringBuilder> sb = builders.acquire()) {
 *     sb.get().append(user).append(':').append(id);
 *     send(sb.get());
 * }
 * }</pre>
 *
 * <p><b>Rules.</b> An object is lent to one holder at a time, never to two. On
 * {@link Pooled#close()} the pool runs {@code reset}, then {@code validate}; an object that fails
 * validation, whose reset or validation throws, or for which no idle slot is left
 * ({@code maxIdle}) is discarded (counted in {@link ObjectPoolStats#discarded()}), and closed if
 * it is {@link AutoCloseable}. An exception thrown by the factory, {@code reset} or
 * {@code validate} reaches the caller of {@code acquire} or {@code close} unchanged; the object
 * concerned is never reused. At most {@code maxTotal} objects are alive at once (idle plus in
 * use); beyond it {@code acquire} fails or waits, as {@link Builder#whenExhausted configured}.
 *
 * <p><b>Leaks.</b> Under {@link LeakDetection#SAMPLED} (the default) or
 * {@link LeakDetection#PARANOID}, a tracked handle that is garbage-collected without being closed
 * is reported (a WARNING through {@link System.Logger} {@code io.memkit.pools.leaks} with the
 * acquiring stack) and counted in {@link ObjectPoolStats#leaksDetected()}; its object is dropped,
 * not reused (someone may still hold it), and its place under {@code maxTotal} is freed.
 *
 * <p><b>Costs.</b> Objects live in a few home positions per stripe (stripes picked by thread id,
 * never a thread-local, so the pool stays bounded under any number of virtual threads)
 * plus a shared overflow stack for idle objects beyond them; an object stays in its home while
 * lent, and a thread mostly finds its objects in its own stripe. An acquire plus a close then
 * costs two uncontended compare-and-sets (one claims the object, one ends the loan, so that a
 * loan ends exactly once even if two threads close it at once) and no lock; counting is free,
 * as the per-object stamps those compare-and-sets maintain are the counters. The handle is one
 * small object per acquire that the pool does not keep while untracked, so where the JIT
 * compiles the caller's try-with-resources as one unit it removes the handle and the pair
 * allocates nothing, also where the {@code try} block calls code the JIT does not inline. A
 * handle that escapes (stored, or passed to code that is not inlined) costs 24 bytes. Sampled
 * acquires (leak detection) cost a stack capture; the others allocate nothing either.
 *
 * <p>Thread-safe: any thread may acquire, and any thread may close a handle another acquired.
 * Under {@link Exhausted#WAIT}, a waiting thread sleeps until a release wakes it or its timeout
 * ends, and no release is ever missed: one racing with the waiter's arrival is either seen by the
 * waiter or wakes it (a waiter that finds an object mid-release waits for that release instead of
 * sleeping).
 * The defaults differ from {@link BufferPool}'s on purpose (WAIT for 30 s here, FAIL there): an
 * object pool is exhausted only under a {@code maxTotal} the user chose to bound a resource, as
 * with connection pools, where waiting out a burst is the expected behaviour.
 * The pool registers itself with {@link io.memkit.meter.Instruments} when built and unregisters
 * on {@link #close()}.
 *
 * @param <T> the type of the pooled objects
 */
public interface ObjectPool<T> extends Instrumented, AutoCloseable {

    /**
     * Starts configuring a pool.
     *
     * @param factory makes a new object when none is idle; called outside any lock, may block;
     *                must not return {@code null}
     * @param <T>     the type of the pooled objects
     * @return a new builder with the defaults listed on {@link Builder}
     * @throws NullPointerException if {@code factory} is {@code null}
     */
    static <T> Builder<T> builder(Supplier<? extends T> factory) {
        return new ObjectPoolBuilder<>(factory);
    }

    /**
     * Lends an object: an idle one if there is any, else a new one from the factory if fewer than
     * {@code maxTotal} are alive, else it fails or waits as configured.
     *
     * <p>Costs, when an idle object is at hand in the caller's stripe: a scan of a few home
     * positions and one compare-and-set on the object's stamp; no allocation where the JIT can see
     * the handle's whole life (see the class comment). Otherwise it also looks at the overflow
     * stack and the other stripes before it makes an object.
     *
     * @return a handle to close exactly once when done with the object
     * @throws PoolExhaustedException under {@link Exhausted#FAIL} if {@code maxTotal} objects are
     *                                alive and none is idle; under {@link Exhausted#WAIT} if none
     *                                came free within the acquire timeout, or the wait was
     *                                interrupted (the interrupt flag is then set again and the
     *                                {@link InterruptedException} is the cause)
     * @throws IllegalStateException  if the pool is closed
     * @throws NullPointerException   if the factory returned {@code null}
     * @throws RuntimeException       whatever the factory threw, unchanged (nothing is counted as
     *                                acquired or created, and the object's place under
     *                                {@code maxTotal} is given back)
     */
    Pooled<T> acquire();

    /**
     * A snapshot of the pool's counters. Each counter is exact; taken while other threads work,
     * they need not all be from one instant, and they agree with each other when the pool is
     * quiescent. Also reports leaks found since the last call.
     *
     * @return the counters; see {@link ObjectPoolStats} for their meaning
     */
    ObjectPoolStats stats();

    /**
     * The loans that leak detection tracks (every loan under PARANOID, a sample under SAMPLED,
     * none under OFF), oldest first; handles leaks found so far first. The same view as
     * {@link BufferPool#outstanding()}, with a {@link LeaseInfo#capacity()} of 1 (one object).
     *
     * @return a snapshot
     */
    List<LeaseInfo> outstanding();

    /**
     * Closes the pool: idle objects are dropped (closed if they are {@link AutoCloseable}; what
     * their {@code close} throws is logged through {@link System.Logger} and not rethrown),
     * threads waiting in {@link #acquire()} fail with {@link IllegalStateException}, later
     * acquires throw it, and the pool leaves {@link io.memkit.meter.Instruments}. Objects in use
     * stay valid; each is dropped (and closed if {@link AutoCloseable}) when its holder closes it.
     * Waits for releases in progress on other threads (their reset and validation) to finish.
     * Called from this pool's own {@code reset} or {@code validate}, it does not wait for the
     * release that is running it: it returns, and that release then drops its object. Closing a
     * closed pool does nothing.
     */
    @Override
    void close();

    /**
     * Configures and builds an {@link ObjectPool}. Defaults: name {@code "ObjectPool-N"} (N counts
     * pools built in this JVM); no reset; every object kept (no validation); {@code maxIdle} 8 per
     * stripe (16 per processor, at most 512), but at most {@code maxTotal};
     * {@code maxTotal} unbounded ({@link Integer#MAX_VALUE});
     * {@link Exhausted#WAIT} with a 30 second timeout; {@link LeakDetection#SAMPLED}; idle
     * objects dropped after 30 seconds unused ({@link #idleTimeout}).
     *
     * <p>Each setter checks its argument at once; {@link #build()} checks that the settings agree.
     * Not thread-safe: configure on one thread. Building does not change the builder, so one
     * builder can build several independent pools.
     *
     * @param <T> the type of the pooled objects
     */
    interface Builder<T> {

        /**
         * Names the pool in reports, JMX, log messages and exception messages.
         *
         * @param name the name; not empty
         * @return this builder
         * @throws NullPointerException     if {@code name} is {@code null}
         * @throws IllegalArgumentException if {@code name} is empty
         */
        Builder<T> name(String name);

        /**
         * Sets what runs on every release, before {@link #validate validation}: clear the object
         * so that the next holder finds it as new. If it throws, the object is discarded and the
         * exception reaches the caller of {@link Pooled#close()} unchanged.
         *
         * @param onRelease the reset; called on the releasing thread, outside any lock
         * @return this builder
         * @throws NullPointerException if {@code onRelease} is {@code null}
         */
        Builder<T> reset(Consumer<? super T> onRelease);

        /**
         * Sets the test each released object must pass, after its reset, to be kept; a
         * {@code false} result discards it (counted). If it throws, the object is discarded and
         * the exception reaches the caller of {@link Pooled#close()} unchanged.
         *
         * @param keep the test; called on the releasing thread, outside any lock
         * @return this builder
         * @throws NullPointerException if {@code keep} is {@code null}
         */
        Builder<T> validate(Predicate<? super T> keep);

        /**
         * Caps the idle objects the pool keeps; objects released beyond it are discarded. Zero
         * keeps none: every acquire then calls the factory. Must not exceed {@link #maxTotal}
         * when both are set. Idle objects are spread over the stripes (a few each) and a shared
         * overflow, so the cap is exact but which thread finds an idle object first is not
         * fixed.
         *
         * @param count the cap, {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if {@code count < 0}
         */
        Builder<T> maxIdle(int count);

        /**
         * Caps the objects alive at once, idle plus in use (plus any the factory is making).
         *
         * @param count the cap, {@code >= 1}
         * @return this builder
         * @throws IllegalArgumentException if {@code count < 1}
         */
        Builder<T> maxTotal(int count);

        /**
         * Sets what {@link ObjectPool#acquire()} does when {@code maxTotal} objects are alive and
         * none is idle: {@link Exhausted#FAIL} throws at once, {@link Exhausted#WAIT} waits up to
         * the {@link #acquireTimeout acquire timeout} for a release.
         *
         * @param policy the policy
         * @return this builder
         * @throws NullPointerException if {@code policy} is {@code null}
         */
        Builder<T> whenExhausted(Exhausted policy);

        /**
         * Sets how long {@link Exhausted#WAIT} waits; zero means try once. Ignored under
         * {@link Exhausted#FAIL}. Durations too long for a {@code long} of nanoseconds mean
         * "practically forever".
         *
         * @param timeout the longest wait, not negative
         * @return this builder
         * @throws NullPointerException     if {@code timeout} is {@code null}
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        Builder<T> acquireTimeout(Duration timeout);

        /**
         * Sets how many handles are tracked for leaks: none, about one in 128, or all (each
         * tracked acquire captures its stack: PARANOID is for tests and leak hunts).
         *
         * @param level the level
         * @return this builder
         * @throws NullPointerException if {@code level} is {@code null}
         */
        Builder<T> leakDetection(LeakDetection level);

        /**
         * Receives a {@link LeakReport} for each leaked loan found, on the thread that found it
         * (one calling {@code acquire}, {@code stats}, {@code outstanding} or {@code close}), as
         * {@link BufferPool.Builder#leakListener} does; the report's capacity is 1 and
         * {@code reclaimed} is {@code false} (the object is dropped, never lent again, and its
         * place under {@code maxTotal} is freed). Exceptions it throws are logged and otherwise
         * ignored. Default: none (leaks are still logged).
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException if {@code listener} is {@code null}
         */
        Builder<T> leakListener(Consumer<LeakReport> listener);

        /**
         * Sets how long an idle object may go unused before the pool drops it (closed if it is
         * {@link AutoCloseable}, counted in {@link ObjectPoolStats#discarded()}), so that the
         * objects a burst made go once the load is back to normal while the ones the steady load
         * reuses stay. Every half timeout, one thread shared by all pools drops the idle objects
         * no acquire used during the last two halves: an object goes between one and one and a
         * half timeouts after its last use, and never while it is lent. Acquire and close pay
         * nothing for it. Default: 30 seconds, long enough that a load recurring more than about
         * twice a minute keeps its objects (re-making them costs what pooling saves), short
         * enough that a one-off burst's objects are gone within a minute.
         *
         * @param timeout the idle time before an object is dropped; {@link Duration#ZERO} keeps
         *                idle objects until {@link ObjectPool#close()} (up to {@code maxIdle})
         * @return this builder
         * @throws NullPointerException     if {@code timeout} is {@code null}
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        Builder<T> idleTimeout(Duration timeout);

        /**
         * Builds a new, empty pool (objects are created on demand) and registers it with
         * {@link io.memkit.meter.Instruments}.
         *
         * @return the pool
         * @throws IllegalArgumentException if {@code maxIdle} and {@code maxTotal} were both set
         *                                  and {@code maxIdle > maxTotal}
         */
        ObjectPool<T> build();
    }
}
