package io.memkit.pools.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;

/**
 * Cache-line padding before {@link ObjectStripe}'s fields. Superclass fields are laid out before
 * subclass fields, so this keeps another object's hot fields off the stripe's cache lines.
 */
abstract class ObjectStripePadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/**
 * The fields of {@link ObjectStripe}: a guard, a bounded LIFO stack of idle slots and the
 * stripe's counters, all plain fields read and written only while the guard is held.
 */
abstract class ObjectStripeFields extends ObjectStripePadBefore {
    /** Where the stack starts in {@link #slots}: keeps neighbouring arrays' writes off its line. */
    static final int PAD = 32;
    /** Slots a stack gets at first when its capacity is large; it grows by doubling. */
    static final int INITIAL_LENGTH = 16;

    /** 0 free, 1 held; see {@link ObjectStripe#tryLock()}. */
    int guard;
    /** Idle slots on the stack, in {@code slots[PAD, PAD + size)}. Guarded. */
    int size;
    /** The most slots this stack may hold. */
    final int capacity;
    /** The stack, with {@link #PAD} unused elements on each side. Guarded. */
    Object[] slots;
    /** Idle slots taken for loans from this stack. Guarded. */
    long reused;
    /** Releases that put a slot on this stack. Guarded. */
    long releases;

    ObjectStripeFields(int capacity) {
        this.capacity = capacity;
        this.slots = new Object[PAD + Math.min(capacity, INITIAL_LENGTH) + PAD];
    }
}

/**
 * One stripe of a {@link StripedObjectPool}: a small bounded stack of idle object slots guarded
 * by a compare-and-set spin guard, with the counters of what passed through it. The shared
 * overflow stack is one of these too, with a larger capacity (its array grows on demand up to
 * it).
 *
 * <p>Critical sections are a few loads and stores and never call user code or block, so a
 * spinning thread waits only for another thread's few instructions (or for the holder to be
 * scheduled again: after a short spin, waiters {@link Thread#yield() yield}, which lets a
 * virtual thread's carrier run others). Thread-safe through the guard: every method but
 * {@link #tryLock()}, {@link #lock()} and {@link #sizeRacy()} requires the guard held.
 */
final class ObjectStripe extends ObjectStripeFields {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    private static final int SPINS_BEFORE_YIELD = 64;
    private static final VarHandle GUARD;
    private static final VarHandle SIZE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            GUARD = lookup.findVarHandle(ObjectStripeFields.class, "guard", int.class);
            SIZE = lookup.findVarHandle(ObjectStripeFields.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Creates an empty stripe.
     *
     * @param capacity the most idle slots it may hold, {@code >= 0}
     */
    ObjectStripe(int capacity) {
        super(capacity);
    }

    /**
     * Takes the guard if it is free, at once.
     *
     * @return {@code true} if this thread now holds the guard
     */
    boolean tryLock() {
        // A volatile CAS: acquiring the guard synchronizes with the previous holder's release
        // store in unlock(). Pools' lost-wake-up freedom relies on this edge (see
        // StripedObjectPool#tryTake).
        return GUARD.compareAndSet(this, 0, 1);
    }

    /** Takes the guard, spinning (then yielding) while another thread holds it. */
    void lock() {
        if (!tryLock()) {
            lockContended();
        }
    }

    private void lockContended() {
        for (int spins = 0; ; spins++) {
            if ((int) GUARD.getOpaque(this) == 0 && tryLock()) {
                return;
            }
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Releases the guard; a release store publishes everything done under it. */
    void unlock() {
        GUARD.setRelease(this, 0);
    }

    /**
     * The number of idle slots, read without the guard: a hint for skipping empty or full
     * stripes, possibly stale.
     *
     * @return the size at some recent moment
     */
    int sizeRacy() {
        return (int) SIZE.getOpaque(this);
    }

    /**
     * Pops the most recently pushed slot and counts it as reused. Guard held.
     *
     * @return the slot, or {@code null} if the stack is empty
     */
    Object popLocked() {
        int n = size;
        if (n == 0) {
            return null;
        }
        n--;
        Object[] a = slots;
        Object slot = a[PAD + n];
        a[PAD + n] = null;
        SIZE.setOpaque(this, n);
        reused++;
        return slot;
    }

    /**
     * Pushes a released slot and counts the release, if there is room. Guard held.
     *
     * @param slot the slot
     * @return {@code false} if the stack is at capacity
     */
    boolean pushLocked(Object slot) {
        int n = size;
        Object[] a = slots;
        if (n == a.length - 2 * PAD) {
            if (n >= capacity) {
                return false;
            }
            a = grow();
        }
        a[PAD + n] = slot;
        SIZE.setOpaque(this, n + 1);
        releases++;
        return true;
    }

    private Object[] grow() {
        int length = slots.length - 2 * PAD;
        int grown = (int) Math.min(capacity, Math.max(INITIAL_LENGTH, 2L * length));
        Object[] a = Arrays.copyOf(slots, PAD + grown + PAD);
        slots = a;
        return a;
    }

    /**
     * Moves every idle slot to {@code into} and empties the stack. Guard held.
     *
     * @param into where the slots go
     */
    void drainLocked(List<Object> into) {
        Object[] a = slots;
        for (int i = 0; i < size; i++) {
            into.add(a[PAD + i]);
            a[PAD + i] = null;
        }
        SIZE.setOpaque(this, 0);
    }
}
