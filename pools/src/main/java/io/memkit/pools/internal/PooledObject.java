package io.memkit.pools.internal;

import io.memkit.pools.Pooled;
import java.lang.ref.Reference;

/**
 * The handle of one loan from a {@link StripedObjectPool}: the object's slot and the stamp of
 * this loan. A new handle per loan, never recycled, so a stale handle can't touch a later loan.
 *
 * <p>The handle is never stored by the pool nor given to the leak tracker: where the caller's
 * try-with-resources is compiled together with {@code acquire} and {@code close}, escape
 * analysis removes the allocation, with leak detection OFF and for the untracked loans of
 * SAMPLED alike. Keep it that way: no method here may pass {@code this} anywhere (error paths
 * build their exceptions in static methods). A tracked loan's handle holds a {@link Anchor}
 * instead of the slot: the tracker watches the anchor, which only the handle references, so
 * the anchor becomes unreachable exactly when the handle does.
 *
 * <p>Thread-safety: see {@link Pooled}; the stamp compare-and-set makes concurrent closes safe.
 *
 * @param <T> the type of the object
 */
final class PooledObject<T> implements Pooled<T> {

    // Two fields, 24 bytes where the handle is not scalar-replaced. Leak tracking state lives in
    // the slot (the loan's owner has it to itself) and the anchor, not here.
    /** The object's {@link ObjectSlot}, or for a tracked loan the {@link Anchor} that holds it. */
    private final Object target;
    private final long loan;

    PooledObject(Object target, long loan) {
        this.target = target;
        this.loan = loan;
    }

    /** What leak detection watches for a tracked loan (see the class comment). */
    static final class Anchor {
        final ObjectSlot<?> slot;

        Anchor(ObjectSlot<?> slot) {
            this.slot = slot;
        }
    }

    /** The slot: one type check, as {@link Anchor} is final. */
    @SuppressWarnings("unchecked")
    private ObjectSlot<T> slot() {
        Object t = target;
        return (ObjectSlot<T>) (t instanceof Anchor ? ((Anchor) t).slot : t);
    }

    @Override
    public T get() {
        ObjectSlot<T> s = slot();
        if (!s.isLive(loan)) {
            throw released(s, "get");
        }
        return s.object;
    }

    @Override
    public boolean isReleased() {
        return !slot().isLive(loan);
    }

    @Override
    public void close() {
        // At most MaxTrivialSize (6 bytes of bytecode): C2 inlines trivial methods even at call
        // sites it has never seen run, such as the exceptional exit of a try-with-resources.
        // Anything larger is not inlined there, and the handle, passed as the receiver of a real
        // call, escapes: on JDK 17 to 21 that cost one handle per acquire wherever the try block
        // made a call that could throw and was not inlined (newer JDKs prune such exits).
        end();
    }

    /**
     * Ends the loan. Within C2's MaxInlineSize (35 bytes of bytecode), so it inlines at cold call
     * sites too, and its compiled code stays small: giveBack, which never inlines here and never
     * sees the handle, does the work, ending the loan included.
     */
    private void end() {
        ObjectSlot<T> s = slot();
        if (s.pool.giveBack(s, loan)) {
            // A tracked loan: keep this handle, and so its anchor, reachable until giveBack has
            // untracked it, or the collector could find it unreachable during close() and the
            // tracker report a leak for a loan that is being closed properly.
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
        ObjectSlot<T> s = slot();
        return "Pooled[" + s.object.getClass().getSimpleName() + (s.isLive(loan) ? ", live" : ", released")
                + ", " + s.pool.describe() + "]";
    }
}
