package io.memkit.pools.internal;

import io.memkit.meter.internal.Stripes;
import io.memkit.pools.LeakDetection;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds handles (leases, pooled objects) that were dropped without being closed: the one leak
 * tracking mechanism shared by {@code BufferPool} and {@code ObjectPool}.
 *
 * <p>A pool asks {@link #sample()} on each acquire; for a sampled acquire it calls
 * {@link #track(Object, Object, int)}, which keeps a {@link PhantomReference} to the handle (never
 * the handle itself, so tracking does not keep it alive) together with the pool's own state for
 * that handle and where it was acquired. A proper close calls {@link #untrack(Tracked)}. When the
 * collector finds a tracked handle unreachable and still tracked, {@link #expunge()} (called by
 * the pool on tracked acquires and on stats, trim and close) logs a WARNING through
 * {@link System.Logger} with the acquiring stack, counts it, and hands the state to the pool's
 * {@link Handler}, which decides whether the memory can be reclaimed.
 *
 * <p>Cost: {@link LeakDetection#OFF} and untracked acquires pay one branch and, under SAMPLED,
 * one racy increment. Tracked acquires pay a stack walk, a small object and a set insertion.
 *
 * <p>Thread-safe.
 */
public final class LeakTracker {

    /** What the pool does with a leaked handle's state. Called on the thread that expunges. */
    @FunctionalInterface
    public interface Handler {
        /**
         * A tracked handle was collected without being closed.
         *
         * @param leaked the tracking record; {@link Tracked#state()} is what the pool passed to track
         */
        void onLeak(Tracked leaked);
    }

    /** Roughly one acquire in SAMPLE_EVERY is tracked under {@link LeakDetection#SAMPLED}. */
    public static final int SAMPLE_EVERY = 128;
    /** At most this many collected handles are handled per {@link #expunge()} call: bounded work. */
    static final int EXPUNGE_BATCH = 64;

    private static final System.Logger LOG = System.getLogger("io.memkit.pools.leaks");

    private final String owner;
    private final LeakDetection level;
    private final Handler handler;
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final Set<Tracked> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong leaks = new AtomicLong();
    /** Ints between two stripes' clocks: 64 bytes, so no two stripes share a cache line. */
    private static final int CLOCK_SPACING = 16;
    /**
     * One sampling clock per stripe, at {@code stripe * CLOCK_SPACING}. Per stripe, because one
     * clock written by every thread cost SAMPLED pools a cache-line transfer per acquire on two
     * threads (ObjectPoolBenchmark, 2 threads: 109-140 ns against 25-35 ns with OFF). Plain,
     * racy writes on purpose: sampling needs only roughly one in SAMPLE_EVERY.
     */
    private final int[] sampleClocks = new int[Stripes.COUNT * CLOCK_SPACING];

    /**
     * Creates a tracker.
     *
     * @param owner   names the pool in log messages, e.g. {@code "BufferPool 'io'"}
     * @param level   how many acquires to track
     * @param handler what to do with a leaked handle's state
     * @throws NullPointerException if an argument is {@code null}
     */
    public LeakTracker(String owner, LeakDetection level, Handler handler) {
        this.owner = Objects.requireNonNull(owner, "owner must not be null");
        this.level = Objects.requireNonNull(level, "level must not be null");
        this.handler = Objects.requireNonNull(handler, "handler must not be null");
    }

    /**
     * The detection level.
     *
     * @return the level given at construction
     */
    public LeakDetection level() {
        return level;
    }

    /**
     * Decides whether the acquire in progress is tracked: never under OFF, always under
     * PARANOID, about one in {@link #SAMPLE_EVERY} under SAMPLED.
     *
     * @return {@code true} if the caller should {@link #track} the handle it is about to return
     */
    public boolean sample() {
        switch (level) {
            case OFF:
                return false;
            case PARANOID:
                return true;
            default:
                int at = Stripes.current() * CLOCK_SPACING;
                int tick = sampleClocks[at] + 1;
                sampleClocks[at] = tick;
                return (tick & (SAMPLE_EVERY - 1)) == 0;
        }
    }

    /**
     * Starts tracking {@code handle}, recording the calling thread and its stack.
     *
     * @param handle the object the user holds; tracked through a phantom reference only
     * @param state  the pool's state for this handle, handed back on a leak; must not reference
     *               {@code handle}, or the handle can never be found unreachable
     * @param size   what the handle holds (bytes for a lease, 1 for an object), for reports
     * @return the tracking record, to pass to {@link #untrack(Tracked)} on close
     */
    public Tracked track(Object handle, Object state, int size) {
        // The Throwable captures the stack in the JVM's compact form; it is decoded into frames only
        // when someone asks (a leak report, outstanding()), which keeps a tracked acquire cheap.
        Tracked t = new Tracked(handle, queue, state, size, Thread.currentThread().getName(), System.nanoTime(),
                new Throwable("acquired here"));
        live.add(t);
        expunge();
        return t;
    }

    /**
     * Stops tracking: the handle was closed properly. Idempotent.
     *
     * @param tracked the record {@link #track} returned
     */
    public void untrack(Tracked tracked) {
        if (live.remove(tracked)) {
            tracked.clear();
        }
    }

    /**
     * Handles up to a bounded batch of tracked handles that were collected unclosed: logs each with
     * its acquiring stack, counts it and passes it to the handler.
     *
     * @return how many leaks this call handled
     */
    public int expunge() {
        int handled = 0;
        for (Reference<?> ref; handled < EXPUNGE_BATCH && (ref = queue.poll()) != null; ) {
            Tracked t = (Tracked) ref;
            if (!live.remove(t)) {
                continue; // closed properly between collection and now
            }
            handled++;
            leaks.incrementAndGet();
            log(t);
            handler.onLeak(t);
        }
        return handled;
    }

    /**
     * Leaks found so far.
     *
     * @return the number of tracked handles collected without being closed
     */
    public long leaks() {
        return leaks.get();
    }

    /**
     * The tracked handles not yet closed, oldest first.
     *
     * @return a snapshot
     */
    public List<Tracked> outstanding() {
        expunge();
        List<Tracked> snapshot = new ArrayList<>(live);
        snapshot.sort((a, b) -> Long.compare(a.acquiredNanos, b.acquiredNanos));
        return snapshot;
    }

    /**
     * The tracked handles still out, oldest first, as the pools' public {@code outstanding()}
     * reports them; handles leaks found so far first.
     *
     * @return an unmodifiable snapshot
     */
    public List<io.memkit.pools.LeaseInfo> leaseInfos() {
        List<Tracked> live = outstanding();
        List<io.memkit.pools.LeaseInfo> out = new ArrayList<>(live.size());
        for (Tracked t : live) {
            out.add(new io.memkit.pools.LeaseInfo(t.size(), t.age(), t.threadName(), t.acquiredAt()));
        }
        return java.util.Collections.unmodifiableList(out);
    }

    private void log(Tracked t) {
        if (!LOG.isLoggable(System.Logger.Level.WARNING)) {
            return;
        }
        StringBuilder msg = new StringBuilder(256)
                .append("LEAK: ").append(owner).append(": a handle of size ").append(t.size)
                .append(" was garbage-collected without close(); acquired by thread '")
                .append(t.threadName).append("' at:");
        for (StackTraceElement e : t.acquiredAt()) {
            msg.append(System.lineSeparator()).append("\tat ").append(e);
        }
        LOG.log(System.Logger.Level.WARNING, msg.toString());
    }

    /** The stack of the caller of the pool's acquire: frames of memkit's pools are dropped. */
    static StackTraceElement[] callerFrames(Throwable where) {
        StackTraceElement[] stack = where.getStackTrace();
        int from = 0;
        while (from < stack.length && stack[from].getClassName().startsWith("io.memkit.pools.")) {
            from++;
        }
        return from == stack.length ? stack : Arrays.copyOfRange(stack, from, stack.length);
    }

    /** A tracked handle: where and when it was acquired, and the pool's state for it. */
    public static final class Tracked extends PhantomReference<Object> {
        private final Object state;
        private final int size;
        private final String threadName;
        private final long acquiredNanos;
        private final Throwable acquiredAt;

        Tracked(Object handle, ReferenceQueue<Object> queue, Object state, int size, String threadName,
                long acquiredNanos, Throwable acquiredAt) {
            super(handle, queue);
            this.state = state;
            this.size = size;
            this.threadName = threadName;
            this.acquiredNanos = acquiredNanos;
            this.acquiredAt = acquiredAt;
        }

        /**
         * The pool's state for the handle, as given to {@link LeakTracker#track}.
         *
         * @return the state
         */
        public Object state() {
            return state;
        }

        /**
         * The size given to {@link LeakTracker#track}.
         *
         * @return bytes of a lease, or 1 for an object
         */
        public int size() {
            return size;
        }

        /**
         * The name of the thread that acquired the handle.
         *
         * @return the thread name (empty for unnamed virtual threads)
         */
        public String threadName() {
            return threadName;
        }

        /**
         * How long ago the handle was acquired.
         *
         * @return the age
         */
        public Duration age() {
            return Duration.ofNanos(System.nanoTime() - acquiredNanos);
        }

        /**
         * The acquiring stack, from the caller of the pool's acquire.
         *
         * @return the frames, a new array on each call
         */
        public StackTraceElement[] acquiredAt() {
            return callerFrames(acquiredAt);
        }
    }
}
