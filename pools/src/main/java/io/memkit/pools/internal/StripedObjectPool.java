package io.memkit.pools.internal;

import io.memkit.meter.Instruments;
import io.memkit.pools.Exhausted;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.ObjectPool;
import io.memkit.pools.ObjectPoolStats;
import io.memkit.pools.PoolExhaustedException;
import io.memkit.pools.Pooled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@link ObjectPool} implementation: idle objects in striped, bounded, CAS-guarded stacks
 * ({@link ObjectStripe}, a few slots each, the stripe picked by {@link Stripes#current()}) plus
 * one shared overflow stack holding the rest of {@code maxIdle}.
 *
 * <p>Acquire pops from the caller's stripe; if that is empty (or busy) it tries the overflow,
 * then the other stripes, then makes a new object under the {@code maxTotal} permit count, then
 * fails or waits ({@link ReleaseSignal}). Release pushes to the caller's stripe, else the overflow,
 * else another stripe with room, else drops the object. So a thread that acquires and releases
 * touches only its own stripe's cache lines, and no idle object is stranded: an acquire finds any
 * idle object before it makes one or reports exhaustion.
 *
 * <p>Counters: reuses and releases are plain per-stripe fields written under the stripe's guard
 * (free on the hot path) and summed on read; the rarer events (objects made, dropped, exhausted)
 * use atomics on their own slow paths. {@code live} (objects alive: idle, lent, being made) is
 * the {@code maxTotal} permit count; it changes only when an object is made or dropped.
 *
 * <p>Thread-safe.
 *
 * @param <T> the type of the pooled objects
 */
public final class StripedObjectPool<T> implements ObjectPool<T> {

    /** Idle slots per stripe at most: a few, so a stripe's stack stays within a cache line or two. */
    static final int SLOTS_PER_STRIPE = 4;

    private static final System.Logger LOG = System.getLogger("io.memkit.pools.ObjectPool");

    private final String name;
    private final Supplier<? extends T> factory;
    /** {@code null}: nothing to run on release. */
    private final Consumer<? super T> reset;
    /** {@code null}: keep every object. */
    private final Predicate<? super T> validate;
    private final int maxIdle;
    private final int maxTotal;
    private final Exhausted policy;
    private final long timeoutNanos;
    private final Duration timeout;
    private final LeakTracker tracker;
    /** {@code false} under {@link LeakDetection#OFF}: one predictable branch per acquire. */
    private final boolean tracking;

    private final ObjectStripe[] stripes;
    private final int mask;
    private final ObjectStripe overflow;
    private final ReleaseSignal signal = new ReleaseSignal();

    /** Objects alive: idle, lent, or being made; the {@code maxTotal} permits. */
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicLong peakLive = new AtomicLong();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    /** Releases that dropped their object rather than keep it (the others are counted per stripe). */
    private final AtomicLong releasesDropped = new AtomicLong();
    private final AtomicLong exhausted = new AtomicLong();

    /** Set once by {@link #close()}; read on every acquire and, under a stripe guard, on every release. */
    private volatile boolean closed;

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(StripedObjectPool.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Creates a pool; {@link ObjectPoolBuilder} checks the arguments and registers it.
     *
     * @param name         the pool's name
     * @param factory      makes objects
     * @param reset        runs on release, or {@code null}
     * @param validate     decides on release whether to keep, or {@code null}
     * @param maxIdle      cap on idle objects, {@code >= 0}
     * @param maxTotal     cap on objects alive, {@code >= 1}
     * @param policy       what an exhausted acquire does
     * @param timeout      how long WAIT waits
     * @param leakDetection how many loans to track
     */
    StripedObjectPool(String name, Supplier<? extends T> factory, Consumer<? super T> reset,
            Predicate<? super T> validate, int maxIdle, int maxTotal, Exhausted policy, Duration timeout,
            LeakDetection leakDetection) {
        this.name = name;
        this.factory = factory;
        this.reset = reset;
        this.validate = validate;
        this.maxIdle = maxIdle;
        this.maxTotal = maxTotal;
        this.policy = policy;
        this.timeout = timeout;
        this.timeoutNanos = ReleaseSignal.nanos(timeout);
        this.tracker = new LeakTracker(describe(), leakDetection, this::onLeak);
        this.tracking = leakDetection != LeakDetection.OFF;
        int count = Stripes.COUNT;
        int perStripe = Math.min(SLOTS_PER_STRIPE, maxIdle / count);
        this.stripes = new ObjectStripe[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ObjectStripe(perStripe);
        }
        this.mask = count - 1;
        this.overflow = new ObjectStripe(maxIdle - perStripe * count);
    }

    // ---------------------------------------------------------------- acquire

    @Override
    public Pooled<T> acquire() {
        if (closed) {
            throw closedException(name);
        }
        int home = Stripes.current();
        ObjectSlot<T> slot = null;
        ObjectStripe own = stripes[home];
        if (own.tryLock()) {
            slot = cast(own.popLocked());
            own.unlock();
        }
        if (slot == null) {
            slot = acquireSlow(home);
        }
        PooledObject<T> handle = new PooledObject<>(slot, slot.lend());
        if (tracking && tracker.sample()) {
            handle.track(tracker);
        }
        return handle;
    }

    @SuppressWarnings("unchecked")
    private static <T> ObjectSlot<T> cast(Object slot) {
        return (ObjectSlot<T>) slot;
    }

    /** The caller's stripe was empty or busy: look everywhere, make one, or fail or wait. */
    private ObjectSlot<T> acquireSlow(int home) {
        ObjectSlot<T> slot = tryTake(home, false);
        if (slot == null && tracking && tracker.expunge() > 0) {
            slot = tryTake(home, false); // a leak just freed a permit
        }
        if (slot == null) {
            slot = exhausted(home);
        }
        return slot;
    }

    /**
     * One non-blocking try: an idle object from anywhere, else a new one if a permit is free.
     *
     * <p>With {@code thorough}, every stack is locked and looked at; without, stacks that look
     * empty are skipped. The WAIT retry is thorough because that is what makes its wake-ups
     * reliable: a waiter announces itself before its thorough try, and takes each stack's guard;
     * a release pushes under the same guard and reads the waiter count after it. Whichever took
     * the guard first, either the waiter sees the object or the releaser sees the waiter.
     *
     * @return a slot owned by the caller, or {@code null}
     * @throws IllegalStateException if the pool is closed
     */
    private ObjectSlot<T> tryTake(int home, boolean thorough) {
        if (closed) {
            throw closedException(name);
        }
        ObjectSlot<T> slot = popFrom(stripes[home], thorough);
        if (slot == null) {
            slot = popFrom(overflow, thorough);
        }
        for (int i = 1; slot == null && i <= mask; i++) {
            slot = popFrom(stripes[(home + i) & mask], thorough);
        }
        return slot != null ? slot : create();
    }

    private ObjectSlot<T> popFrom(ObjectStripe stripe, boolean thorough) {
        if (!thorough && stripe.sizeRacy() == 0) {
            return null;
        }
        stripe.lock();
        ObjectSlot<T> slot = cast(stripe.popLocked());
        stripe.unlock();
        return slot;
    }

    /**
     * Makes a new object if fewer than {@code maxTotal} are alive.
     *
     * @return the new object's slot, or {@code null} if the cap is reached
     */
    private ObjectSlot<T> create() {
        int now;
        do {
            now = live.get();
            if (now >= maxTotal) {
                return null;
            }
        } while (!live.compareAndSet(now, now + 1));
        T object;
        try {
            object = factory.get();
        } catch (Throwable t) {
            givePermitBack();
            throw t;
        }
        if (object == null) {
            givePermitBack();
            throw new NullPointerException(describe() + ": the factory returned null");
        }
        created.incrementAndGet();
        long peak;
        while ((peak = peakLive.get()) < now + 1 && !peakLive.compareAndSet(peak, now + 1)) {
            // another creator raised the peak meanwhile; look again
        }
        return new ObjectSlot<>(this, object);
    }

    private void givePermitBack() {
        live.decrementAndGet();
        signal.signal();
    }

    /** Nothing idle and {@code maxTotal} alive: fail at once, or wait for a release. */
    private ObjectSlot<T> exhausted(int home) {
        if (policy == Exhausted.FAIL) {
            exhausted.incrementAndGet();
            throw exhaustedException("FAIL policy");
        }
        ObjectSlot<T> slot;
        try {
            slot = signal.retryUntil(() -> tryTake(home, true), timeoutNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exhausted.incrementAndGet();
            PoolExhaustedException x = exhaustedException("interrupted while waiting");
            x.initCause(e);
            throw x;
        }
        if (slot == null) {
            exhausted.incrementAndGet();
            throw exhaustedException("none released within " + timeout);
        }
        return slot;
    }

    private PoolExhaustedException exhaustedException(String why) {
        ObjectPoolStats s = stats();
        return new PoolExhaustedException(describe() + " exhausted: 1 object requested, maxTotal " + maxTotal
                + " alive (" + s.inUse() + " in use, " + s.idle() + " idle); " + why);
    }

    private static IllegalStateException closedException(String name) {
        return new IllegalStateException("ObjectPool '" + name + "' is closed");
    }

    // ---------------------------------------------------------------- release

    /**
     * Takes back a slot whose loan its handle just ended: reset, validate, keep or drop.
     *
     * @param slot the slot, owned by the caller
     */
    void giveBack(ObjectSlot<T> slot) {
        T object = slot.object;
        if (reset != null) {
            try {
                reset.accept(object);
            } catch (Throwable t) {
                drop(slot, true);
                throw t;
            }
        }
        if (validate != null) {
            boolean keep;
            try {
                keep = validate.test(object);
            } catch (Throwable t) {
                drop(slot, true);
                throw t;
            }
            if (!keep) {
                drop(slot, true);
                return;
            }
        }
        ObjectStripe own = stripes[Stripes.current()];
        if (own.tryLock()) {
            // closed is read under the guard: close() sets it before it drains each stack under
            // the same guard, so either this push is drained or this read sees closed.
            if (!closed && own.pushLocked(slot)) {
                own.unlock();
                signal.signal();
                return;
            }
            own.unlock();
        }
        giveBackSlow(slot);
    }

    /** The caller's stripe was busy or full, or the pool is closed. */
    private void giveBackSlow(ObjectSlot<T> slot) {
        if (!closed) {
            int home = Stripes.current();
            if (pushTo(stripes[home], slot, true) || pushTo(overflow, slot, true)) {
                return;
            }
            for (int i = 1; i <= mask; i++) {
                if (pushTo(stripes[(home + i) & mask], slot, false)) {
                    return;
                }
            }
        }
        drop(slot, true);
    }

    private boolean pushTo(ObjectStripe stripe, ObjectSlot<T> slot, boolean evenIfLooksFull) {
        if (stripe.capacity == 0 || !evenIfLooksFull && stripe.sizeRacy() >= stripe.capacity) {
            return false;
        }
        stripe.lock();
        boolean kept = !closed && stripe.pushLocked(slot);
        stripe.unlock();
        if (kept) {
            signal.signal();
        }
        return kept;
    }

    /**
     * Drops an object for good: counted, its permit freed (waiters are woken), closed if it is
     * {@link AutoCloseable}.
     *
     * @param slot     the slot, owned by the caller
     * @param released {@code true} if this ends a release (counted as one)
     */
    private void drop(ObjectSlot<T> slot, boolean released) {
        discarded.incrementAndGet();
        if (released) {
            releasesDropped.incrementAndGet();
        }
        givePermitBack();
        if (slot.object instanceof AutoCloseable) {
            closeQuietly((AutoCloseable) slot.object);
        }
    }

    private void closeQuietly(AutoCloseable object) {
        try {
            object.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, describe() + ": closing a dropped " + object.getClass().getName()
                    + " failed", e);
        }
    }

    /** Leak handler: the handle of a lent slot was collected unclosed. Drop the object, free its permit. */
    private void onLeak(LeakTracker.Tracked leaked) {
        ObjectSlot<?> slot = (ObjectSlot<?>) leaked.state();
        // Not closed even if AutoCloseable: whoever leaked the handle may still use the object.
        if (slot.releaseLeaked()) {
            givePermitBack();
        }
    }

    LeakTracker tracker() {
        return tracker;
    }

    /**
     * Threads waiting in {@link #acquire()} now; for tests and diagnostics.
     *
     * @return the number of waiting threads
     */
    int waiting() {
        return signal.waiting();
    }

    // ---------------------------------------------------------------- stats, close

    @Override
    public ObjectPoolStats stats() {
        if (tracking) {
            tracker.expunge();
        }
        long reused = 0;
        long releases = 0;
        long idle = 0;
        for (int i = 0; i <= stripes.length; i++) {
            ObjectStripe stripe = i < stripes.length ? stripes[i] : overflow;
            stripe.lock();
            reused += stripe.reused;
            releases += stripe.releases;
            idle += stripe.size;
            stripe.unlock();
        }
        long made = created.get();
        releases += releasesDropped.get();
        long leaks = tracker.leaks();
        long acquires = reused + made;
        // Counters are read one after another: between two reads another thread may acquire and
        // release, so mid-flight the difference can dip below zero for a moment.
        long inUse = Math.max(0, acquires - releases - leaks);
        return new ObjectPoolStats(acquires, releases, made, reused, discarded.get(), idle, inUse,
                peakLive.get(), exhausted.get(), leaks);
    }

    @Override
    public Map<String, Long> counters() {
        ObjectPoolStats s = stats();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("acquires", s.acquires());
        m.put("releases", s.releases());
        m.put("created", s.created());
        m.put("reused", s.reused());
        m.put("discarded", s.discarded());
        m.put("idle", s.idle());
        m.put("inUse", s.inUse());
        m.put("peakInUse", s.peakInUse());
        m.put("exhausted", s.exhausted());
        m.put("leaksDetected", s.leaksDetected());
        m.put("maxIdle", (long) maxIdle);
        m.put("maxTotal", (long) maxTotal);
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "ObjectPool";
    }

    @Override
    public void close() {
        if (closed || !CLOSED.compareAndSet(this, false, true)) {
            return; // closed before, or another thread is closing it now
        }
        Instruments.unregister(this);
        List<Object> idle = new ArrayList<>();
        for (int i = 0; i <= stripes.length; i++) {
            ObjectStripe stripe = i < stripes.length ? stripes[i] : overflow;
            stripe.lock();
            stripe.drainLocked(idle);
            stripe.unlock();
        }
        for (Object slot : idle) {
            drop(cast(slot), false);
        }
        if (tracking) {
            tracker.expunge();
        }
        signal.signal(); // waiters retry, see closed and throw
    }

    /**
     * The pool's name for messages.
     *
     * @return {@code ObjectPool 'name'}
     */
    String describe() {
        return "ObjectPool '" + name + "'";
    }

    @Override
    public String toString() {
        ObjectPoolStats s = stats();
        return describe() + (closed ? " (closed)" : "") + ": " + s.inUse() + " in use, " + s.idle() + " idle, maxIdle "
                + maxIdle + ", maxTotal " + maxTotal;
    }
}
