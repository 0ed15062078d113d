package io.memkit.pools.internal;

import io.memkit.meter.internal.Stripes;
import io.memkit.meter.Instruments;
import io.memkit.pools.Exhausted;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.ObjectPool;
import io.memkit.pools.ObjectPoolStats;
import io.memkit.pools.PoolExhaustedException;
import io.memkit.pools.Pooled;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@link ObjectPool} implementation: objects live in home positions in striped arrays (a few
 * per stripe, the stripe picked by {@link Stripes#current()}), with a shared overflow stack for
 * idle objects beyond them.
 *
 * <p><b>Claiming in place.</b> An object with a home stays there while it is lent and idle; its
 * {@link ObjectSlot} stamp says which. Acquire scans the caller's stripe for an idle object and
 * claims it with one compare-and-set on its stamp; close ends the loan with one compare-and-set
 * and, after reset and validation, makes it idle again with a release store. So an acquire and a
 * close cost two atomic operations and touch only the object's own cache line and the stripe's
 * array, which holds references only and is written only when objects are made or dropped.
 * There is no lock on this path, and no counter to update: the stamps count the loans.
 *
 * <p><b>Misses.</b> When the caller's stripe has no idle object the acquire tries the overflow
 * stack, then the other stripes, then makes a new object under the {@code maxTotal} permit count
 * (giving it a free home position if there is one: the caller's stripe first), then fails or
 * waits ({@link ReleaseSignal}). An object without a home goes to the overflow stack on release,
 * or is dropped if that is full. Home positions plus the overflow's capacity equal
 * {@code maxIdle}, so no more than {@code maxIdle} objects are ever idle.
 *
 * <p><b>Waiting, without lost wake-ups.</b> Under WAIT an acquire registers with the
 * {@link ReleaseSignal} (an atomic increment) and then scans every home position and the stamp
 * of each slot in it with volatile reads. A close reads the waiter count after its
 * compare-and-set {@code LENT -> RETURNING}, and wakes waiters after the slot is
 * {@code AVAILABLE} again only if that count was non-zero. Both sides do a volatile write, then a
 * volatile read of the other's variable, so in the JMM's synchronization order either the
 * close's read comes after the registration (the close wakes the waiter) or the close's
 * compare-and-set comes before the waiter's reads, which then see the slot {@code RETURNING} or
 * later, never the {@code LENT} of before. A waiter that sees a slot {@code RETURNING} therefore
 * does not sleep: it waits for that return to end (it spins, then yields, then parks in growing
 * steps: the user's reset is running) and scans again; one it sees idle it tries to claim again.
 * It sleeps only after a scan that found every homed slot lent, dead or being returned by its
 * own thread (an acquire from a reset), each of whose next closes comes after the registration.
 * A slot homed after the scan read its position is lent by the thread that homed it, so its next
 * close comes after the registration too. Objects without a
 * home and dropped objects are published under the overflow guard or the permit count, each
 * followed by a read of the waiter count, which the waiter's locked pop and permit
 * compare-and-set meet the same way. So the release path keeps its one compare-and-set and one
 * plain read, with no fence added, and a waiter sleeps until a release or its timeout.
 *
 * <p><b>Idle decay.</b> Every half idle timeout the shared decay thread runs {@link #decayStep()}:
 * an idle slot whose stamp is the one it had two steps ago served no loan for at least a whole
 * timeout and is killed with a compare-and-set from exactly that stamp (so it loses to any
 * claim) and dropped as {@link #close()} drops idle objects. The stamps of the last two steps
 * are plain fields of each slot that only the decaying thread touches: acquire and close pay
 * nothing for decay. Slots killed on the overflow stack are purged from it in the same step.
 *
 * <p><b>Counters.</b> Loans started and ended are summed from the stamps of the live objects (a
 * registry updated only when objects are made or dropped) plus those folded in from dropped
 * objects; objects made, dropped and refused ({@code exhausted}) are atomics on their own slow
 * paths.
 *
 * <p>Thread-safe.
 *
 * @param <T> the type of the pooled objects
 */
public final class StripedObjectPool<T> implements ObjectPool<T>, IdleDecay.Target {

    /** Home positions per stripe at most (a power of two): a few, so a scan stays short. */
    static final int HOMES_PER_STRIPE = 4;

    private static final System.Logger LOG = System.getLogger("io.memkit.pools.ObjectPool");
    private static final VarHandle HOME = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle CLOSED;
    private static final MethodHandle TRACK;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(StripedObjectPool.class, "closed", boolean.class);
            TRACK = MethodHandles.lookup().findVirtual(StripedObjectPool.class, "track",
                    MethodType.methodType(PooledObject.Anchor.class, ObjectSlot.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
    /** {@code null}: leaks are only logged and counted. */
    private final Consumer<io.memkit.pools.LeakReport> leakListener;
    /** {@code false} under {@link LeakDetection#OFF}: one predictable branch per acquire. */
    private final boolean tracking;
    /**
     * {@link #track} as a handle in an instance field, which C2 does not treat as a constant, so
     * it cannot inline the call: the tracked path (stack capture, tracker set) never bloats the
     * compiled acquire, which must stay small enough to inline into its callers for escape
     * analysis to remove the handle. One indirect call per tracked acquire.
     */
    private final MethodHandle trackOutOfLine = TRACK;

    /** Per stripe, the home positions {@code [PAD, PAD + homesPerStripe)}, padded on both sides. */
    private final Object[][] homes;
    /** 0, 1, 2 or 4. */
    private final int homesPerStripe;
    private final int homeMask;
    private final int mask;
    private final GuardedSlotStack overflow;
    private final ReleaseSignal signal = new ReleaseSignal();

    /** Every live object's slot: the stamps to sum for the counters, the objects to drop on close. */
    private final Set<ObjectSlot<T>> alive = ConcurrentHashMap.newKeySet();
    /** Objects alive: idle, lent, or being made; the {@code maxTotal} permits. */
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicLong peakLive = new AtomicLong();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final AtomicLong exhausted = new AtomicLong();
    /** Loans started and ended by objects no longer alive. */
    private final AtomicLong startedByDropped = new AtomicLong();
    private final AtomicLong endedByDropped = new AtomicLong();

    /**
     * The pool's idle decay, or {@code null} if off; set once by the builder after construction
     * (so that the pool does not escape its constructor to the decay thread) and held here
     * because the decay thread holds it only weakly.
     */
    private IdleDecay decay;

    /** Set once by {@link #close()}; read by acquires that miss and after every loan's end. */
    private volatile boolean closed;

    /** Where a stripe's home positions start: keeps neighbouring stripes' arrays off its line. */
    static final int PAD = 16;

    /**
     * Creates a pool; {@link ObjectPoolBuilder} checks the arguments and registers it.
     *
     * @param name          the pool's name
     * @param factory       makes objects
     * @param reset         runs on release, or {@code null}
     * @param validate      decides on release whether to keep, or {@code null}
     * @param maxIdle       cap on idle objects, {@code >= 0}
     * @param maxTotal      cap on objects alive, {@code >= 1}
     * @param policy        what an exhausted acquire does
     * @param timeout       how long WAIT waits
     * @param leakDetection how many loans to track
     * @param leakListener  receives leak reports, or {@code null}
     */
    StripedObjectPool(String name, Supplier<? extends T> factory, Consumer<? super T> reset,
            Predicate<? super T> validate, int maxIdle, int maxTotal, Exhausted policy, Duration timeout,
            LeakDetection leakDetection, Consumer<io.memkit.pools.LeakReport> leakListener) {
        this.leakListener = leakListener;
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
        // Homes are held by lent objects too. Where maxIdle < maxTotal, more objects can be lent
        // than there are homes, and those without one stay idle only on the overflow: keep at
        // least half of maxIdle there, so that long loans of homed objects don't leave releases
        // of the others nowhere to go.
        this.homesPerStripe = Integer.highestOneBit(
                Math.min(HOMES_PER_STRIPE, maxIdle / (maxIdle < maxTotal ? 2 * count : count)));
        this.homeMask = Math.max(0, homesPerStripe - 1);
        this.homes = new Object[count][];
        for (int i = 0; i < count; i++) {
            homes[i] = new Object[PAD + homesPerStripe + PAD];
        }
        this.mask = count - 1;
        this.overflow = new GuardedSlotStack(maxIdle - homesPerStripe * count);
    }

    // ---------------------------------------------------------------- acquire

    @Override
    public Pooled<T> acquire() {
        // No read of closed here: once close() has returned no slot is idle (it kills the idle
        // ones, and a close ending a loan after it drops the object), so an acquire ordered after
        // it finds nothing to claim and throws from the slow path, which reads closed.
        // The probe picks the stripe (low bits) and where in it to start (high bits): two threads
        // that share a stripe then mostly start at different homes and don't read each other's
        // stamps.
        int probe = probe();
        Object[] mine = homes[probe & mask];
        ObjectSlot<T> slot = null;
        long loan = 0;
        for (int n = 0, first = probe >>> 24; n < homesPerStripe; n++) {
            ObjectSlot<T> home = cast(HOME.getAcquire(mine, PAD + ((first + n) & homeMask)));
            if (home != null && (loan = home.claim()) != 0) {
                slot = home;
                break;
            }
        }
        if (slot == null) {
            slot = acquireSlow(probe);
            loan = slot.stamp();
        }
        // One allocation site for every path: C2 cannot scalar-replace a handle that merges
        // allocations from two paths, and the slow path does get compiled in where misses occur.
        // A tracked loan's handle holds an anchor that the tracker watches; the handle itself
        // never reaches the tracker (see PooledObject).
        Object target = tracking && tracker.sample() ? trackOutOfLine(slot) : slot;
        return new PooledObject<>(target, loan);
    }

    private PooledObject.Anchor trackOutOfLine(ObjectSlot<T> slot) {
        try {
            return (PooledObject.Anchor) trackOutOfLine.invokeExact(this, (ObjectSlot<?>) slot);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts tracking a loan: its anchor is the tracker's phantom referent, its slot the state. */
    private PooledObject.Anchor track(ObjectSlot<?> slot) {
        PooledObject.Anchor anchor = new PooledObject.Anchor(slot);
        // The slot never references the anchor (only the tracker's phantom record does), so the
        // anchor is unreachable as soon as the handle is.
        slot.tracked = tracker.track(anchor, slot, 1);
        return anchor;
    }

    /** The calling thread's mixed id: its stripe is {@code probe & mask}, as {@link Stripes#current()}. */
    private static int probe() {
        return Stripes.index(Thread.currentThread().getId(), -1);
    }

    @SuppressWarnings("unchecked")
    private static <T> ObjectSlot<T> cast(Object slot) {
        return (ObjectSlot<T>) slot;
    }

    /** The caller's stripe had no idle object: look everywhere, make one, or fail or wait. */
    private ObjectSlot<T> acquireSlow(int probe) {
        ObjectSlot<T> slot = tryTake(probe, false);
        if (slot == null && tracking && tracker.expunge() > 0) {
            slot = tryTake(probe, false); // a leak just freed a permit
        }
        if (slot == null) {
            slot = exhausted(probe);
        }
        return slot;
    }

    /**
     * One non-blocking try: an idle object from anywhere, else a new one if a permit is free.
     *
     * <p>With {@code thorough}, the overflow is locked even if it looks empty: the WAIT retry is
     * thorough so that a release to the overflow (a push under its guard, then a read of the
     * waiter count) always wakes or is seen by a waiter (which announces itself, then takes the
     * guard). Homed objects are seen by {@link #takeWaiting}.
     *
     * @return a slot lent to the caller, or {@code null}
     * @throws IllegalStateException if the pool is closed
     */
    private ObjectSlot<T> tryTake(int probe, boolean thorough) {
        if (closed) {
            throw closedException(name);
        }
        ObjectSlot<T> slot = claimIn(homes[probe & mask], probe >>> 24);
        if (slot != null) {
            return slot;
        }
        if (thorough || overflow.sizeRacy() > 0) {
            slot = popOverflow();
        }
        for (int i = 1; slot == null && i <= mask; i++) {
            slot = claimIn(homes[(probe + i) & mask], probe >>> 24);
        }
        if (slot == null) {
            return create(probe);
        }
        moveHome(slot, probe);
        return slot;
    }

    /**
     * Gives a slot just claimed elsewhere (another stripe, or the overflow) a home in the caller's
     * stripe, if that has a free position: objects follow the threads that use them, so that a
     * thread that found none in its own stripe (new threads, threads that outlived the ones that
     * made the objects) finds it there next time. The caller owns the slot (it is lent to it).
     */
    private void moveHome(ObjectSlot<T> slot, int probe) {
        Object[] mine = homes[probe & mask];
        if (slot.home == mine) {
            return;
        }
        for (int n = 0, first = probe >>> 24; n < homesPerStripe; n++) {
            int i = PAD + ((first + n) & homeMask);
            if (HOME.getAcquire(mine, i) == null && HOME.compareAndSet(mine, i, null, slot)) {
                if (slot.home != null) {
                    HOME.setRelease(slot.home, slot.position, null);
                }
                slot.home = mine;
                slot.position = i;
                return;
            }
        }
    }

    private ObjectSlot<T> claimIn(Object[] stripe, int first) {
        for (int n = 0; n < homesPerStripe; n++) {
            ObjectSlot<T> slot = cast(HOME.getAcquire(stripe, PAD + ((first + n) & homeMask)));
            if (slot != null && slot.claim() != 0) {
                return slot;
            }
        }
        return null;
    }

    private ObjectSlot<T> popOverflow() {
        while (true) {
            overflow.lock();
            ObjectSlot<T> slot = cast(overflow.popLocked());
            overflow.unlock();
            if (slot == null || slot.claim() != 0) {
                return slot;
            }
            // killed by a concurrent close(): it owns the drop; look again
        }
    }

    /**
     * Makes a new object if fewer than {@code maxTotal} are alive, and gives it a free home
     * position if there is one (the caller's stripe first).
     *
     * @return the new object's slot, lent to the caller, or {@code null} if the cap is reached
     */
    private ObjectSlot<T> create(int probe) {
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
        ObjectSlot<T> slot = new PaddedObjectSlot<>(this, object);
        alive.add(slot);
        for (int s = 0; s <= mask; s++) {
            Object[] stripe = homes[(probe + s) & mask];
            for (int n = 0, first = probe >>> 24; n < homesPerStripe; n++) {
                int i = PAD + ((first + n) & homeMask);
                if (HOME.getAcquire(stripe, i) == null && HOME.compareAndSet(stripe, i, null, slot)) {
                    slot.home = stripe;
                    slot.position = i;
                    return slot;
                }
            }
        }
        return slot; // no free home: idle only on the overflow stack
    }

    private void givePermitBack() {
        live.decrementAndGet();
        signal.signal();
    }

    /** Nothing idle and {@code maxTotal} alive: fail at once, or wait for a release. */
    private ObjectSlot<T> exhausted(int probe) {
        if (policy == Exhausted.FAIL) {
            exhausted.incrementAndGet();
            PoolEvents.exhausted(name, "ObjectPool", 1, "FAIL", 0, true);
            throw exhaustedException("FAIL policy");
        }
        ObjectSlot<T> slot;
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        ReleaseSignal.Attempt<ObjectSlot<T>> attempt = () -> takeWaiting(probe, deadline);
        try {
            slot = signal.retryUntil(attempt, timeoutNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exhausted.incrementAndGet();
            PoolEvents.exhausted(name, "ObjectPool", 1, "WAIT", System.nanoTime() - start, true);
            PoolExhaustedException x = exhaustedException("interrupted while waiting");
            x.initCause(e);
            throw x;
        }
        PoolEvents.exhausted(name, "ObjectPool", 1, "WAIT", System.nanoTime() - start, slot == null);
        if (slot == null) {
            exhausted.incrementAndGet();
            throw exhaustedException("none released within " + timeout);
        }
        return slot;
    }

    /**
     * The attempt of a registered waiter: a thorough {@link #tryTake}, then a scan of every home
     * position; while that scan finds a slot idle (claimed by someone else first) or being
     * returned by another thread (whose close may have read the waiter count before this waiter
     * registered, see the class comment), it waits for that return to end and tries again.
     *
     * @return a slot lent to the caller, or {@code null} if sleeping until a signal is safe
     */
    private ObjectSlot<T> takeWaiting(int probe, long deadline) {
        while (true) {
            ObjectSlot<T> slot = tryTake(probe, true);
            if (slot != null) {
                return slot;
            }
            ObjectSlot<T> unsettled = null;
            long stamp = 0;
            for (int s = 0; s <= mask && unsettled == null; s++) {
                Object[] stripe = homes[s];
                for (int n = 0; n < homesPerStripe; n++) {
                    // volatile, not acquire: the argument above needs these reads in the
                    // synchronization order (the same plain load on x86)
                    ObjectSlot<T> home = cast(HOME.getVolatile(stripe, PAD + n));
                    if (home != null) {
                        stamp = home.stamp();
                        int state = ObjectSlot.state(stamp);
                        if (state == ObjectSlot.AVAILABLE
                                || state == ObjectSlot.RETURNING && home.returner != ObjectSlot.currentThreadId()) {
                            unsettled = home;
                            break;
                        }
                    }
                }
            }
            if (unsettled == null) {
                return null;
            }
            if (!awaitStampChange(unsettled, stamp, deadline)) {
                return null; // timed out or interrupted: retryUntil reports which
            }
        }
    }

    /**
     * Waits until a slot's stamp is no longer {@code stamp}: at once if it was idle, else while
     * another thread runs its reset and validation (user code, normally short): spins, then
     * yields, then parks for growing times up to a millisecond.
     *
     * @return {@code false} if the deadline passed or the thread was interrupted first
     */
    private static boolean awaitStampChange(ObjectSlot<?> slot, long stamp, long deadline) {
        for (int round = 0; slot.stamp() == stamp && ObjectSlot.state(stamp) == ObjectSlot.RETURNING; round++) {
            if (Thread.currentThread().isInterrupted() || deadline - System.nanoTime() <= 0) {
                return false;
            }
            if (round < 64) {
                Thread.onSpinWait();
            } else if (round < 128) {
                Thread.yield();
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(
                        Math.min(1_000_000L, 1_000L << Math.min(10, round - 128)));
            }
        }
        return true;
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
     * Ends a loan and takes its object back: reset, validate, keep or drop. Exactly one of
     * concurrent calls for one loan gets past the stamp compare-and-set.
     *
     * <p>Never inlined into {@link PooledObject#close()}, on purpose: close() must stay small once
     * C2 has compiled it on its own, or C2 refuses to inline it into its callers ("already
     * compiled into a big method": its code exceeds {@code InlineSmallCode}, 2500 bytes), the
     * handle then escapes, and every acquire+close allocates it (measured: 24-32 B/op in
     * ObjectPoolBenchmark.memkit). The user's reset and validation are inlined wherever this
     * method is, and their size is not ours to bound ({@code StringBuilder.setLength} alone added
     * about 1.6 KB). C2 never inlines a method of more than {@code FreqInlineSize} (325) bytes
     * of bytecode; this one is kept above that by holding the whole release path, drop included,
     * rather than calling helpers for it. {@code StripedObjectPoolTest} checks the size. The cost
     * is one call per release.
     *
     * <p>What reset or validation throw reaches the caller unchanged (the same object, rethrown
     * after the object was dropped).
     *
     * @param slot the slot
     * @param loan the stamp of the loan the handle holds
     * @return {@code true} if the loan was tracked for leaks
     * @throws IllegalStateException if that loan was already ended
     */
    boolean giveBack(ObjectSlot<T> slot, long loan) {
        if (!slot.beginReturn(loan)) {
            throw PooledObject.released(slot, "close");
        }
        // Read after the compare-and-set, not after the release store that makes the slot idle
        // (no StoreLoad fence between those): see "Waiting" in the class comment.
        boolean waiters = signal.waiting() != 0;
        // The caller owns the slot now (RETURNING): no other thread changes it until it is made
        // available again or dropped.
        LeakTracker.Tracked leakTracking = slot.tracked;
        boolean tracked = leakTracking != null;
        if (tracked) {
            slot.tracked = null;
            tracker.untrack(leakTracking);
        }
        T object = slot.object;
        Throwable failure = null;
        boolean keep = true;
        Consumer<? super T> onRelease = reset;
        Predicate<? super T> check = validate;
        boolean callbacks = onRelease != null || check != null;
        if (callbacks) {
            slot.returner = ObjectSlot.currentThreadId();
        }
        if (onRelease != null) {
            try {
                onRelease.accept(object);
            } catch (Throwable t) {
                failure = t;
                keep = false;
            }
        }
        if (keep && check != null) {
            try {
                keep = check.test(object);
            } catch (Throwable t) {
                failure = t;
                keep = false;
            }
        }
        if (callbacks) {
            slot.returner = 0;
        }
        // closed is read after the compare-and-set that made this slot RETURNING; close() sets
        // closed before it looks at the slots and waits for RETURNING ones. So either this read
        // sees closed, or close() sees this slot RETURNING and waits until it is AVAILABLE.
        if (keep && !closed) {
            if (slot.home != null) {
                slot.finishReturn();
                if (waiters) {
                    signal.signal();
                }
                return tracked;
            }
            // No home: to the overflow stack if there is room (closed is read again under its
            // guard: close() sets closed before it drains the stack under the same guard).
            if (overflow.capacity > 0) {
                overflow.lock();
                boolean pushed = !closed && overflow.pushLocked(slot);
                if (pushed) {
                    slot.finishReturn();
                }
                overflow.unlock();
                if (pushed) {
                    signal.signal();
                    return tracked;
                }
            }
        }
        // Drop it: the same steps as drop(slot, before), written out here (see above).
        long before = slot.killOwned();
        if (slot.home != null) {
            HOME.setRelease(slot.home, slot.position, null);
        }
        alive.remove(slot);
        startedByDropped.addAndGet(ObjectSlot.started(before));
        endedByDropped.addAndGet(ObjectSlot.ended(before));
        discarded.incrementAndGet();
        live.decrementAndGet();
        signal.signal();
        if (object instanceof AutoCloseable) {
            closeQuietly((AutoCloseable) object);
        }
        if (failure != null) {
            throw PooledObject.<RuntimeException>rethrow(failure);
        }
        return tracked;
    }

    /**
     * Drops an object for good, after its slot was marked {@link ObjectSlot#DEAD} by its owner:
     * its home freed, its loans folded into the counters, its permit freed (waiters are woken),
     * the object closed if it is {@link AutoCloseable}.
     *
     * @param slot   the slot, owned by the caller and dead
     * @param before the slot's stamp before it was killed
     */
    private void drop(ObjectSlot<T> slot, long before) {
        forget(slot, before);
        discarded.incrementAndGet();
        givePermitBack();
        if (slot.object instanceof AutoCloseable) {
            closeQuietly((AutoCloseable) slot.object);
        }
    }

    /** Removes a dead slot from its home and the registry, folding its loans into the counters. */
    private void forget(ObjectSlot<T> slot, long before) {
        if (slot.home != null) {
            HOME.setRelease(slot.home, slot.position, null);
        }
        alive.remove(slot);
        startedByDropped.addAndGet(ObjectSlot.started(before));
        endedByDropped.addAndGet(ObjectSlot.ended(before));
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
        ObjectSlot<T> slot = cast(leaked.state());
        long before = slot.kill(true);
        if (before >= 0) {
            slot.tracked = null;
            // Not closed even if AutoCloseable, nor counted as discarded: whoever leaked the
            // handle may still use the object. Counted by the tracker as a leak.
            forget(slot, before);
            givePermitBack();
            PoolEvents.leakDetected(name, "ObjectPool", 0, leaked.threadName(), leaked.acquiredAt(), false);
            if (leakListener != null) {
                try {
                    leakListener.accept(new io.memkit.pools.LeakReport(name, 1, leaked.acquiredAt(), false));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "leak listener of " + describe() + " failed", e);
                }
            }
        }
    }

    @Override
    public List<io.memkit.pools.LeaseInfo> outstanding() {
        return tracker.leaseInfos();
    }

    /**
     * The pool's leak tracker; for tests.
     *
     * @return the tracker
     */
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

    // ---------------------------------------------------------------- idle decay

    /**
     * Starts idle decay; called once by the builder, before the pool is handed out.
     *
     * @param timeout the idle timeout, {@link Duration#ZERO} for none
     * @param clock   nanoseconds
     */
    void startDecay(Duration timeout, java.util.function.LongSupplier clock) {
        this.decay = IdleDecay.start(this, timeout, clock);
    }

    /**
     * The pool's idle decay, for tests that drive its clock.
     *
     * @return the decay, or {@code null} if off
     */
    IdleDecay decay() {
        return decay;
    }

    /**
     * Drops the idle objects that served no loan since the step before the previous one; objects
     * lent or being returned are never touched. Called by the decay thread only.
     */
    @Override
    public void decayStep() {
        boolean stackedKilled = false;
        for (ObjectSlot<T> slot : alive) {
            long stamp = slot.stamp();
            if (stamp == slot.stampTwoStepsAgo && slot.killIfStill(stamp)) {
                stackedKilled |= slot.home == null;
                drop(slot, stamp);
            } else {
                slot.stampTwoStepsAgo = slot.stampAtLastStep;
                slot.stampAtLastStep = stamp;
            }
        }
        if (stackedKilled) {
            overflow.lock();
            overflow.purgeDeadLocked();
            overflow.unlock();
        }
    }

    /**
     * Whether {@link #close()} was called; ends idle decay.
     *
     * @return {@code true} once closed
     */
    @Override
    public boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- stats, close

    @Override
    public ObjectPoolStats stats() {
        if (tracking) {
            tracker.expunge();
        }
        long started = 0;
        long ended = 0;
        long idle = 0;
        long inUse = 0;
        for (ObjectSlot<T> slot : alive) {
            long stamp = slot.stamp();
            started += ObjectSlot.started(stamp);
            ended += ObjectSlot.ended(stamp);
            int state = ObjectSlot.state(stamp);
            if (state == ObjectSlot.AVAILABLE) {
                idle++;
            } else if (state == ObjectSlot.LENT) {
                inUse++;
            }
        }
        // Read after the sum: a slot dropped meanwhile may be counted twice for a moment, never
        // lost for good. Exact when the pool is quiescent.
        started += startedByDropped.get();
        ended += endedByDropped.get();
        long made = created.get();
        return new ObjectPoolStats(started, ended, made, Math.max(0, started - made), discarded.get(), idle, inUse,
                peakLive.get(), exhausted.get(), tracker.leaks());
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
        List<Object> stacked = new ArrayList<>();
        overflow.lock();
        overflow.drainLocked(stacked);
        overflow.unlock();
        for (Object o : stacked) {
            dropIdle(cast(o));
        }
        for (ObjectSlot<T> slot : alive) {
            dropIdle(slot);
        }
        if (tracking) {
            tracker.expunge();
        }
        signal.signal(); // waiters retry, see closed and throw
    }

    /**
     * Drops a slot if it is idle; waits while another thread returns it (its releaser will find
     * the pool closed or make it idle: both end when its reset and validation return); leaves it
     * alone if it is lent (its holder's close will drop it), dead, or being returned by the
     * calling thread itself (close() called from reset or validation: that give-back reads
     * {@code closed} after the callbacks and drops the object).
     */
    private void dropIdle(ObjectSlot<T> slot) {
        while (true) {
            long stamp = slot.stamp();
            int state = ObjectSlot.state(stamp);
            if (state == ObjectSlot.AVAILABLE) {
                long before = slot.kill(false);
                if (before >= 0) {
                    drop(slot, before);
                    return;
                }
            } else if (state == ObjectSlot.RETURNING && slot.returner != ObjectSlot.currentThreadId()) {
                Thread.yield();
            } else {
                return;
            }
        }
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
