package io.memkit.pools.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;

/**
 * Cache-line padding before {@link GuardedSlotStack}'s fields. Superclass fields are laid out
 * before subclass fields, so this keeps other objects' hot fields off the stack's cache line.
 */
abstract class GuardedSlotStackPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/**
 * The fields of {@link GuardedSlotStack}: a guard and a bounded LIFO stack of idle slots, read
 * and written only while the guard is held.
 */
abstract class GuardedSlotStackFields extends GuardedSlotStackPadBefore {
    /** Slots the stack gets at first; it grows by doubling up to its capacity. */
    static final int INITIAL_LENGTH = 16;

    /** 0 free, 1 held; see {@link GuardedSlotStack#tryLock()}. */
    int guard;
    /** Idle slots on the stack, in {@code slots[0, size)}. Guarded; read racily as a hint. */
    int size;
    /** The most slots this stack may hold. */
    final int capacity;
    /** The stack. Guarded. */
    Object[] slots;

    GuardedSlotStackFields(int capacity) {
        this.capacity = capacity;
        this.slots = new Object[Math.min(capacity, INITIAL_LENGTH)];
    }
}

/**
 * The shared overflow of a {@link StripedObjectPool}: a bounded stack of idle slots that have no
 * home position in a stripe, guarded by a compare-and-set spin guard. Only objects beyond what
 * the stripes' home positions hold pass through it.
 *
 * <p>Critical sections are a few loads and stores and never call user code or block, so a
 * spinning thread waits only for another thread's few instructions (or for the holder to be
 * scheduled again: after a short spin, waiters {@link Thread#yield() yield}, which lets a
 * virtual thread's carrier run others). Thread-safe through the guard: the {@code ...Locked}
 * methods require it held.
 */
final class GuardedSlotStack extends GuardedSlotStackFields {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    private static final int SPINS_BEFORE_YIELD = 64;
    private static final VarHandle GUARD;
    private static final VarHandle SIZE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            GUARD = lookup.findVarHandle(GuardedSlotStackFields.class, "guard", int.class);
            SIZE = lookup.findVarHandle(GuardedSlotStackFields.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Creates an empty stack.
     *
     * @param capacity the most idle slots it may hold, {@code >= 0}
     */
    GuardedSlotStack(int capacity) {
        super(capacity);
    }

    /**
     * Takes the guard, spinning (then yielding) while another thread holds it. The acquiring
     * compare-and-set synchronizes with the previous holder's {@link #unlock()}.
     */
    void lock() {
        if (!GUARD.compareAndSet(this, 0, 1)) {
            lockContended();
        }
    }

    private void lockContended() {
        for (int spins = 0; ; spins++) {
            if ((int) GUARD.getOpaque(this) == 0 && GUARD.compareAndSet(this, 0, 1)) {
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
     * The number of idle slots, read without the guard: a hint for skipping an empty or full
     * stack, possibly stale.
     *
     * @return the size at some recent moment
     */
    int sizeRacy() {
        return (int) SIZE.getOpaque(this);
    }

    /**
     * Pops the most recently pushed slot. Guard held.
     *
     * @return the slot, or {@code null} if the stack is empty
     */
    Object popLocked() {
        int n = size;
        if (n == 0) {
            return null;
        }
        n--;
        Object slot = slots[n];
        slots[n] = null;
        SIZE.setOpaque(this, n);
        return slot;
    }

    /**
     * Pushes a slot if there is room. Guard held.
     *
     * @param slot the slot
     * @return {@code false} if the stack is at capacity
     */
    boolean pushLocked(Object slot) {
        int n = size;
        if (n == slots.length) {
            if (n >= capacity) {
                return false;
            }
            slots = Arrays.copyOf(slots, (int) Math.min(capacity, Math.max(INITIAL_LENGTH, 2L * n)));
        }
        slots[n] = slot;
        SIZE.setOpaque(this, n + 1);
        return true;
    }

    /**
     * Removes the slots that were killed while on the stack (idle decay kills them in place), so
     * that they don't take the room of live ones. Keeps the others' order. Guard held.
     *
     * @return the number of slots removed
     */
    int purgeDeadLocked() {
        int n = size;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            Object slot = slots[i];
            if (ObjectSlot.state(((ObjectSlot<?>) slot).stamp()) != ObjectSlot.DEAD) {
                slots[kept++] = slot;
            }
        }
        for (int i = kept; i < n; i++) {
            slots[i] = null;
        }
        SIZE.setOpaque(this, kept);
        return n - kept;
    }

    /**
     * Moves every slot to {@code into} and empties the stack. Guard held.
     *
     * @param into where the slots go
     */
    void drainLocked(List<Object> into) {
        for (int i = 0; i < size; i++) {
            into.add(slots[i]);
            slots[i] = null;
        }
        SIZE.setOpaque(this, 0);
    }
}
