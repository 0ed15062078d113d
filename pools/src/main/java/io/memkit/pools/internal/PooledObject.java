package io.memkit.pools.internal;

import io.memkit.pools.Pooled;
import java.lang.ref.Reference;

/**
 * The handle of one loan from a {@link StripedObjectPool}: the object's slot and the stamp of
 * this loan. A new handle per loan, never recycled, so a stale handle can't touch a later loan.
 *
 * <p>On the untracked path the pool never stores the handle anywhere: where the caller's
 * try-with-resources is compiled together with {@code acquire} and {@code close}, escape
 * analysis removes the allocation. Keep it that way: no method here may pass {@code this} on
 * the untracked path (error paths build their exceptions in static methods), and the tracked
 * path lives in separate methods.
 *
 * <p>Thread-safety: see {@link Pooled}; the stamp compare-and-set makes concurrent closes safe.
 *
 * @param <T> the type of the object
 */
final class PooledObject<T> implements Pooled<T> {

    // Two fields, 24 bytes where the handle is not scalar-replaced. Leak tracking state lives in
    // the slot (the loan's owner has it to itself), not here.
    private final ObjectSlot<T> slot;
    private final long loan;

    PooledObject(ObjectSlot<T> slot, long loan) {
        this.slot = slot;
        this.loan = loan;
    }

    /**
     * Registers this handle with the leak tracker. Cold path: only sampled acquires get here.
     *
     * @param tracker the pool's tracker
     */
    void track(LeakTracker tracker) {
        // The state is the slot, which never references the handle: the handle can be collected.
        slot.tracked = tracker.track(this, slot, 1);
    }

    @Override
    public T get() {
        ObjectSlot<T> s = slot;
        if (!s.isLive(loan)) {
            throw released(s, "get");
        }
        return s.object;
    }

    @Override
    public boolean isReleased() {
        return !slot.isLive(loan);
    }

    @Override
    public void close() {
        // Kept within C2's MaxInlineSize (35 bytes of bytecode) so that it inlines at every call
        // site C2 compiles, hot or cold; the work, including ending the loan, happens in
        // giveBack, which never inlines here and never sees the handle.
        ObjectSlot<T> s = slot;
        if (s.pool.giveBack(s, loan)) {
            // A tracked loan: keep this handle reachable until giveBack has untracked it, or the
            // collector could find it unreachable during close() and the tracker report a leak
            // for a loan that is being closed properly.
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Rethrows {@code t} unchanged, whatever its type: what the user's reset or validation threw
     * (they may throw checked exceptions sneakily) reaches the caller of close as it was.
     *
     * @param t   the throwable
     * @param <E> inferred as an unchecked type at the call site
     * @return never returns
     * @throws E always, {@code t} itself
     */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> E rethrow(Throwable t) throws E {
        throw (E) t;
    }

    static IllegalStateException released(ObjectSlot<?> slot, String what) {
        return new IllegalStateException("released: " + what + "() on a Pooled<"
                + slot.object.getClass().getSimpleName() + "> of " + slot.pool.describe()
                + " that was already closed; the object may be lent to another holder now");
    }

    @Override
    public String toString() {
        return "Pooled[" + slot.object.getClass().getSimpleName() + (slot.isLive(loan) ? ", live" : ", released")
                + ", " + slot.pool.describe() + "]";
    }
}
