package io.memkit.pools.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One object of a {@link StripedObjectPool} for its whole life in the pool, with the stamp that
 * says which loan of it is live.
 *
 * <p>The stamp is odd while the object is lent and even while it is not. Each loan's handle
 * keeps the odd stamp it was lent under; releasing is a compare-and-set from that stamp to the
 * next even one, so exactly one close of a loan wins, and a handle whose loan ended (however
 * often the object was lent since) never matches again. The slot lives as long as its object;
 * handles are new per loan and never recycled.
 *
 * <p>Stamp writes happen only in {@link #lend()} (by the thread that took the slot out of the
 * idle structures, which own it exclusively at that point), {@link #release(long)} and
 * {@link #releaseLeaked()}. Thread-safe in that sense.
 *
 * @param <T> the type of the object
 */
final class ObjectSlot<T> {

    private static final VarHandle STAMP;

    static {
        try {
            STAMP = MethodHandles.lookup().findVarHandle(ObjectSlot.class, "stamp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The pool the object belongs to. */
    final StripedObjectPool<T> pool;
    /** The pooled object; never {@code null}. */
    final T object;
    /** Odd while lent, even while idle or on its way back; accessed through {@link #STAMP}. */
    @SuppressWarnings("unused")
    private long stamp;

    ObjectSlot(StripedObjectPool<T> pool, T object) {
        this.pool = pool;
        this.object = object;
    }

    /**
     * Starts a loan. The caller must own the slot exclusively (it just took it from an idle
     * structure under that structure's guard, or made it): no one else writes the stamp then.
     *
     * @return the loan's (odd) stamp
     */
    long lend() {
        // A plain read is enough: the last release's CAS happens-before the push under a stripe
        // guard that this thread acquired to take the slot. The release store publishes the new
        // stamp to stale handles read on other threads; no fence is needed on the hot path.
        long next = (long) STAMP.get(this) + 1;
        STAMP.setRelease(this, next);
        return next;
    }

    /**
     * Whether the loan with {@code stamp} is still live.
     *
     * @param loan a stamp {@link #lend()} returned
     * @return {@code true} until that loan is released
     */
    boolean isLive(long loan) {
        return (long) STAMP.getAcquire(this) == loan;
    }

    /**
     * Ends the loan with {@code stamp}, if it is still live. Exactly one of any concurrent calls
     * with the same stamp succeeds.
     *
     * @param loan a stamp {@link #lend()} returned
     * @return {@code true} if this call ended the loan
     */
    boolean release(long loan) {
        return STAMP.compareAndSet(this, loan, loan + 1);
    }

    /**
     * Ends whatever loan is live because its handle was collected unclosed.
     *
     * @return {@code true} if a loan was live and this call ended it
     */
    boolean releaseLeaked() {
        long s = (long) STAMP.getVolatile(this);
        return (s & 1) != 0 && STAMP.compareAndSet(this, s, s + 1);
    }
}
