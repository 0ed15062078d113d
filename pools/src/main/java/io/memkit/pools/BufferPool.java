package io.memkit.pools;

import io.memkit.meter.Instrumented;
import io.memkit.pools.internal.BufferPoolBuilder;
import io.memkit.pools.internal.SharedBufferPool;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A bounded pool of direct memory: {@link #acquire(int)} leases a block of at least the asked
 * capacity, {@link PooledBuffer#close()} gives it back.
 *
 * <pre>{@code
 * BufferPool pool = BufferPool.builder().name("io").maxBytes(64 << 20).build();
 * try (PooledBuffer buf = pool.acquire(16 * 1024)) {
 *     int n = channel.read(buf.byteBuffer());
 *     Slice data = buf.slice(0, n);      // checked view: throws once buf is closed
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Memory.</b> Requests are rounded up to a size class: multiples of 16 bytes up to 256 bytes,
 * then 8 classes per doubling, so a block is less than 12.5% larger than a request of 256 bytes
 * or more (and at most 256 bytes for smaller ones). Blocks are carved from slabs of native memory
 * (up to 64 KiB, or one block for larger classes). Requests above
 * {@link Builder#maxPooledCapacity(int) maxPooledCapacity} get dedicated memory, dropped on close.
 * The pool never holds more than {@link Builder#maxBytes(long) maxBytes} of direct memory (in use,
 * idle and quarantined together); when a request would exceed it, the pool first re-carves slabs
 * of other size classes whose blocks are all idle (their memory is reused, not dropped), then
 * serves the request from an idle block of a larger class if there is one, and only then fails at
 * once or waits, as configured. It never calls {@code System.gc()}.
 *
 * <p><b>Memory that comes back.</b> Memory no acquire needed for a whole
 * {@link Builder#idleTimeout(Duration) idleTimeout} (default 30 s) is dropped within one and a half
 * timeouts, by one daemon thread shared by all pools, with nothing added to the acquire and
 * release paths but a watermark update; {@link #trim()} drops every wholly idle slab at once.
 * Where slabs come from, and when dropped memory goes back to the operating system: on JDK 22 and
 * later, from a private mapping per slab (Foreign Function and Memory API), unmapped at once when
 * dropped; on JDK 17 to 21, from {@code ByteBuffer.allocateDirect}, freed when a later collection
 * finds the buffer unreachable (memkit does not use {@code Unsafe.invokeCleaner}). Memory the pool
 * drops is counted as released at once either way.
 *
 * <p><b>Caching.</b> Idle blocks are cached in striped magazines (about two per processor, picked
 * from the thread id; no thread-locals, so any number of virtual threads share a bounded cache),
 * which exchange full and empty magazines through a shared depot per size class. An acquire and
 * close that hit the cache allocate no heap memory once the JIT has inlined them (the handle is
 * scalar-replaced); a handle that escapes costs one small object.
 *
 * <p><b>Safety.</b> Every lease gets a new handle and a new generation: after its last close, the
 * handle and every {@code Slice} made from it throw {@link IllegalStateException}, even once the
 * memory belongs to another lease. See {@link PooledBuffer}.
 *
 * <p><b>Leaks.</b> Under {@link LeakDetection#SAMPLED} (the default) about one lease in 128 is
 * tracked, under {@link LeakDetection#PARANOID} all of them. A tracked lease that is
 * garbage-collected without being closed is reported (a {@link LeakReport} to the listener and a
 * {@code System.Logger} WARNING on {@code io.memkit.pools.leaks} with the acquiring stack) and
 * counted; its memory is reused only if no raw {@code ByteBuffer} view of it ever left the lease,
 * else it stays quarantined. Leak handling runs on later acquires of tracked leases and on
 * {@link #stats()}, {@link #outstanding()}, {@link #trim()} and {@link #close()}.
 *
 * <p><b>Thread-safety.</b> Thread-safe; any thread may close a lease acquired by another. Waiting
 * under {@link Exhausted#WAIT} uses {@code java.util.concurrent} locks, so a waiting virtual
 * thread unmounts.
 *
 * <p>Every pool registers itself with {@link io.memkit.meter.Instruments} under the type
 * {@code "BufferPool"} and unregisters on {@link #close()}.
 */
public interface BufferPool extends Instrumented, AutoCloseable {

    /**
     * A builder with the defaults: a generated name; {@code maxBytes} three quarters of the JVM's
     * direct memory limit ({@code -XX:MaxDirectMemorySize}, by default the heap's maximum), at most
     * 256 MiB and at least 4 MiB, so that the pool meets its own cap before the JDK's limit (which
     * would make the JDK call {@code System.gc()});
     * {@code maxPooledCapacity} 1 MiB, {@link Exhausted#FAIL}, acquire timeout 1 second (used by
     * WAIT), {@link LeakDetection#SAMPLED}, no leak listener, idle timeout 30 seconds.
     *
     * @return a new builder
     */
    static Builder builder() {
        return new BufferPoolBuilder();
    }

    /**
     * The JVM-wide pool named {@code "shared"}, built on first use from these system properties:
     * <ul>
     * <li>{@code io.memkit.pool.maxBytes}: the cap on direct memory the pool holds, in bytes, with
     *     an optional suffix {@code k}, {@code m} or {@code g} (powers of 1024), e.g. {@code 512m};
     *     default three quarters of the JVM's direct memory limit ({@code -XX:MaxDirectMemorySize},
     *     by default the heap's maximum), at most 256 MiB and at least 4 MiB;</li>
     * <li>{@code io.memkit.pool.maxPooledCapacity}: the largest request served from size classes,
     *     same syntax, at most 1 GiB; default 1 MiB;</li>
     * <li>{@code io.memkit.pool.leakDetection}: {@code OFF}, {@code SAMPLED} or {@code PARANOID}
     *     (any case); default {@code SAMPLED};</li>
     * <li>{@code io.memkit.pool.idleTimeout}: how long memory may stay idle before it decays,
     *     e.g. {@code 500ms}, {@code 30s}, {@code 2m} or ISO-8601 {@code PT30S}; {@code 0} turns
     *     decay off; default 30 seconds.</li>
     * </ul>
     * The shared pool fails at once when exhausted ({@link Exhausted#FAIL}). Its {@link #close()}
     * only trims it: it stays usable for the life of the JVM.
     *
     * @return the shared pool
     * @throws IllegalArgumentException if a property is set to an invalid value (the message names
     *                                  the property and the value); later calls try again
     */
    static BufferPool shared() {
        return SharedBufferPool.get();
    }

    /**
     * Leases direct memory of {@code capacity} bytes: a block of the capacity's size class from the
     * cache, or carved from a slab, or dedicated memory above {@code maxPooledCapacity}. The content
     * is not zeroed. A cache hit costs a few tens of nanoseconds and, once inlined with the
     * caller's {@code close()}, no heap allocation.
     *
     * @param capacity bytes needed, {@code 0 <= capacity <= maxBytes}
     * @return a new lease with one owner
     * @throws IllegalArgumentException if {@code capacity} is negative or above {@code maxBytes}
     * @throws PoolExhaustedException   if the memory cannot be had within {@code maxBytes}: at once
     *                                  under FAIL, after the acquire timeout under WAIT, or when
     *                                  the waiting thread is interrupted (its interrupt flag is
     *                                  set again, and the exception's cause is the
     *                                  {@code InterruptedException}); also if the JVM refuses the
     *                                  direct memory ({@code -XX:MaxDirectMemorySize}), with the
     *                                  {@code OutOfMemoryError} as cause
     * @throws IllegalStateException    if the pool is closed
     */
    PooledBuffer acquire(int capacity);

    /**
     * A snapshot of the counters; handles leaks found since the last call first. Exact and
     * balanced at quiescence (see {@link BufferPoolStats}).
     *
     * <p>Taken while other threads acquire and close, the fields are read one after another, not
     * at one instant. Every snapshot still guarantees: each count ({@code acquires},
     * {@code releases}, {@code hits}, ...) is at least its value when the call began and at most
     * its value when it returned; every field is {@code >= 0}; {@code bytesInUse},
     * {@code bytesIdle} and {@link BufferPoolStats#bytesQuarantined()} are each {@code >= 0} and add
     * up to {@code bytesReserved}, which is at most {@code peakBytesReserved}, which is at most
     * {@code maxBytes}. {@code bytesInUse} may lag leases taken or ended during the call.
     *
     * @return the counters
     */
    BufferPoolStats stats();

    /**
     * Frees idle memory: takes every idle block out of the caches and drops each slab whose blocks
     * are all idle. Blocks of slabs still partly in use stay cached. Takes each stripe's guard
     * briefly; O(idle blocks).
     *
     * @return the bytes released from {@code bytesReserved}
     */
    long trim();

    /**
     * The live leases that leak detection tracks (every lease under PARANOID, a sample under
     * SAMPLED, none under OFF), oldest first.
     *
     * @return a snapshot
     */
    List<LeaseInfo> outstanding();

    /**
     * Closes the pool: frees all idle memory and unregisters from
     * {@link io.memkit.meter.Instruments}. Leases still open keep working until their last close,
     * which then frees their memory instead of caching it. Later {@link #acquire(int)} calls throw
     * {@link IllegalStateException}; waiting acquires wake up and throw it too. Idempotent.
     */
    @Override
    void close();

    /**
     * Configures a {@link BufferPool}. Not thread-safe; each {@link #build()} makes a new pool.
     */
    interface Builder {
        /**
         * Names the pool in messages, reports and JMX.
         *
         * @param name a non-empty name
         * @return this builder
         * @throws NullPointerException     if {@code name} is {@code null}
         * @throws IllegalArgumentException if {@code name} is empty
         */
        Builder name(String name);

        /**
         * The hard cap on direct memory the pool holds: in use, idle and quarantined together.
         * Default: three quarters of the JVM's direct memory limit ({@code -XX:MaxDirectMemorySize},
         * by default the heap's maximum), at most 256 MiB and at least 4 MiB.
         *
         * @param bytes the cap, {@code >= 1}
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes < 1}
         */
        Builder maxBytes(long bytes);

        /**
         * The largest request served from size classes; larger ones get dedicated memory that is
         * freed when their lease closes. Default 1 MiB.
         *
         * @param bytes {@code 0 <= bytes <= 1 GiB}
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is outside that range
         */
        Builder maxPooledCapacity(int bytes);

        /**
         * What {@link BufferPool#acquire(int)} does when the memory would exceed {@code maxBytes}
         * even after freeing idle slabs. Default {@link Exhausted#FAIL}. Under
         * {@link Exhausted#WAIT}, every release wakes every waiting acquire to try again, so the
         * cost of a release grows with the number of waiters: size {@code maxBytes} so that
         * waiting stays the exception, not the steady state.
         *
         * @param policy FAIL or WAIT
         * @return this builder
         * @throws NullPointerException if {@code policy} is {@code null}
         */
        Builder whenExhausted(Exhausted policy);

        /**
         * How long an acquire waits under {@link Exhausted#WAIT}. Default 1 second.
         *
         * @param timeout {@code >= 0}; very long durations saturate
         * @return this builder
         * @throws NullPointerException     if {@code timeout} is {@code null}
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        Builder acquireTimeout(Duration timeout);

        /**
         * How many leases are tracked for leaks. Default {@link LeakDetection#SAMPLED}.
         *
         * @param level OFF, SAMPLED or PARANOID
         * @return this builder
         * @throws NullPointerException if {@code level} is {@code null}
         */
        Builder leakDetection(LeakDetection level);

        /**
         * Receives a {@link LeakReport} for each leaked lease found, on the thread that found it
         * (one calling {@code acquire}, {@code stats}, {@code outstanding}, {@code trim} or
         * {@code close}). Exceptions it throws are logged and otherwise ignored. Default: none
         * (leaks are still logged).
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException if {@code listener} is {@code null}
         */
        Builder leakListener(Consumer<LeakReport> listener);

        /**
         * How long memory may stay idle before the pool drops it: every half timeout, the pool
         * drops the slabs none of whose blocks any acquire took during the last two halves, so
         * memory idle for a whole timeout goes back within one and a half timeouts, while the
         * memory a steady load keeps using stays. Default 30 seconds: long enough that a load
         * recurring more than about twice a minute keeps its memory (making it again costs system
         * calls and page faults, and before JDK 22 dropped memory counts against
         * {@code -XX:MaxDirectMemorySize} until a collection frees it), short enough that the
         * memory of a one-off burst is back within a minute. The steps run on one daemon thread
         * shared by every pool of the JVM; the acquire and release paths only update a watermark.
         *
         * @param timeout {@code >= 0}; {@link Duration#ZERO} turns decay off
         * @return this builder
         * @throws NullPointerException     if {@code timeout} is {@code null}
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        Builder idleTimeout(Duration timeout);

        /**
         * Builds a pool with this configuration and registers it with
         * {@link io.memkit.meter.Instruments}. No memory is reserved until the first acquire.
         *
         * @return a new pool
         */
        BufferPool build();
    }
}
