package io.memkit.pools.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One object of a {@link StripedObjectPool} for its whole life in the pool, with the stamp that
 * says whether it is idle, which loan of it is live, and how many loans it has served.
 *
 * <p>The stamp is {@code 4 * g + state}: {@code g} counts the loans the object completed, and
 * the state is {@link #AVAILABLE} (idle), {@link #LENT}, {@link #RETURNING} (its holder closed
 * the loan; reset and validation run) or {@link #DEAD} (dropped). Transitions:
 * <pre>
 *   AVAILABLE(g) --claim, CAS--&gt; LENT(g) --close, CAS--&gt; RETURNING(g) --store--&gt; AVAILABLE(g + 1)
 *   AVAILABLE (by close or idle decay), RETURNING (by their owner) or LENT (by the leak handler,
 *   handle collected) --&gt; DEAD
 * </pre>
 * A loan's handle keeps the {@code LENT(g)} stamp it was lent under. Claiming and ending a loan
 * are compare-and-sets, so exactly one claimer wins an idle object and exactly one close ends a
 * loan; a stale handle (however often the object was lent since) never matches again. The pool
 * derives its acquire and release counts from the stamps, so counting costs nothing per
 * operation.
 *
 * <p>A slot has a <em>home</em>, a position in one stripe's array where it stays while idle and
 * lent (claimers find it there), or none: then it is idle only on the pool's overflow stack.
 * Handles are new per loan and never recycled; the slot lives as long as its object.
 *
 * @param <T> the type of the object
 */
/**
 * Cache-line padding before {@link ObjectSlot}'s fields ({@link PaddedObjectSlot} adds it after).
 * The stamp is written by every acquire and close; the collector copies objects next to each
 * other in the order it finds them, so without padding two threads, each using its own object,
 * can write one cache line (the stamp of one, the pooled object or the stamp of the other) and
 * slow each other down. Stormpot pads its slots for the same reason.
 */
abstract class ObjectSlotPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

class ObjectSlot<T> extends ObjectSlotPadBefore {

    static final int AVAILABLE = 0;
    static final int LENT = 1;
    static final int RETURNING = 2;
    static final int DEAD = 3;
    private static final int STATE = 3;

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
    /**
     * The stripe array this slot has its home position in, or {@code null}. Written once by the
     * creator before the first loan ends; read by the owner of a loan.
     */
    Object[] home;
    /** The index of the home position in {@link #home}. */
    int position;
    /**
     * The live loan's leak-tracking record, or {@code null} if it is not tracked. Written by the
     * thread that lends (before the handle is returned) and by the one that ends the loan (after
     * its compare-and-set), so only by the loan's owner.
     */
    LeakTracker.Tracked tracked;
    /**
     * The id of the thread running this slot's reset and validation while it is
     * {@link #RETURNING}, else 0 (no thread has id 0); written only by the slot's owner. Lets a
     * {@code close()} called from those callbacks skip the slot its own thread holds instead of
     * waiting for itself (the give-back then finds the pool closed and drops the object), and a
     * waiting acquire called from them not wait for its own return to end. A thread can read its
     * own id here only while it is that returner: it writes 0 before it gives the slot up. An id,
     * not the {@code Thread}: storing a reference into a slot (an old object once the pool has run
     * a while) costs the collector's card-marking barrier, under G1 a StoreLoad fence, on every
     * release; thread ids are never reused.
     */
    long returner;

    /**
     * The calling thread's id, as {@link #returner} holds it.
     *
     * @return the id, never 0
     */
    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; memkit compiles for 17
    static long currentThreadId() {
        return Thread.currentThread().getId();
    }
    /**
     * The stamp at the pool's last idle-decay step and at the step before, or -1 (no stamp is
     * negative). Plain fields, read and written only by the decaying thread (one at a time), so
     * that decay costs acquire and close nothing.
     */
    long stampAtLastStep = -1;
    long stampTwoStepsAgo = -1;
    /** {@code 4 * completed loans + state}; accessed through {@link #STAMP}. */
    @SuppressWarnings("unused")
    private long stamp;

    /**
     * Creates the slot of a new object, lent to its creator: {@code LENT(0)}.
     *
     * @param pool   the pool
     * @param object the object
     */
    ObjectSlot(StripedObjectPool<T> pool, T object) { // only through PaddedObjectSlot
        this.pool = pool;
        this.object = object;
        STAMP.setRelease(this, (long) LENT);
    }

    /**
     * The stamp now; a volatile read (a plain load on x86).
     *
     * @return the stamp
     */
    long stamp() {
        return (long) STAMP.getVolatile(this);
    }

    /**
     * Claims the object if it is idle.
     *
     * @return the new loan's stamp ({@code LENT(g)}, never 0), or 0 if it was not idle or
     *         another thread claimed it first
     */
    long claim() {
        long s = (long) STAMP.getVolatile(this);
        if ((s & STATE) != AVAILABLE || !STAMP.compareAndSet(this, s, s + 1)) {
            return 0;
        }
        return s + 1;
    }

    /**
     * Whether the loan with stamp {@code loan} is still live.
     *
     * @param loan a stamp {@link #claim()} returned
     * @return {@code true} until that loan is closed
     */
    boolean isLive(long loan) {
        return (long) STAMP.getAcquire(this) == loan;
    }

    /**
     * Ends the loan with stamp {@code loan} if it is live: {@code LENT(g) -> RETURNING(g)}.
     * Exactly one of concurrent calls with one stamp succeeds; the caller then owns the slot.
     *
     * @param loan a loan's stamp
     * @return {@code true} if this call ended the loan
     */
    boolean beginReturn(long loan) {
        return STAMP.compareAndSet(this, loan, loan + 1);
    }

    /**
     * Makes a returning object idle again: {@code RETURNING(g) -> AVAILABLE(g + 1)}, with a
     * release store (free on x86) that publishes the reset object to its next claimer. Called by
     * the slot's owner.
     */
    void finishReturn() {
        STAMP.setRelease(this, (long) STAMP.get(this) + (AVAILABLE + 4 - RETURNING));
    }

    /**
     * Marks a slot its caller owns (returning, or an idle one it took off the overflow stack) as
     * dropped.
     *
     * @return the stamp before
     */
    long killOwned() {
        long s = (long) STAMP.get(this);
        STAMP.setVolatile(this, (s & ~STATE) | DEAD);
        return s;
    }

    /**
     * Drops the object if it is idle, or if it is lent and {@code lentToo} (the leak handler:
     * the loan's handle is gone).
     *
     * @param lentToo whether a lent slot may be killed too
     * @return the stamp before, or -1 if the slot was in another state, or another thread won
     */
    long kill(boolean lentToo) {
        long s = (long) STAMP.getVolatile(this);
        long state = s & STATE;
        if ((state == AVAILABLE || lentToo && state == LENT) && STAMP.compareAndSet(this, s, (s & ~STATE) | DEAD)) {
            return s;
        }
        return -1;
    }

    /**
     * Drops the object if it is still idle with exactly the stamp {@code idle}, so no loan started
     * since that stamp was read (idle decay: the object has not been used for a while).
     *
     * @param idle an {@link #AVAILABLE} stamp read earlier
     * @return {@code true} if this call killed the slot; the caller then owns its drop
     */
    boolean killIfStill(long idle) {
        return (idle & STATE) == AVAILABLE && STAMP.compareAndSet(this, idle, (idle & ~STATE) | DEAD);
    }

    /**
     * Loans started by a stamp.
     *
     * @param stamp a stamp
     * @return the loans that stamp says were started
     */
    static long started(long stamp) {
        long state = stamp & STATE;
        return (stamp >>> 2) + (state == LENT || state == RETURNING ? 1 : 0);
    }

    /**
     * Loans ended by a stamp.
     *
     * @param stamp a stamp
     * @return the loans that stamp says were closed
     */
    static long ended(long stamp) {
        return (stamp >>> 2) + ((stamp & STATE) == RETURNING ? 1 : 0);
    }

    /**
     * The state of a stamp.
     *
     * @param stamp a stamp
     * @return {@link #AVAILABLE}, {@link #LENT}, {@link #RETURNING} or {@link #DEAD}
     */
    static int state(long stamp) {
        return (int) (stamp & STATE);
    }
}

/**
 * The {@link ObjectSlot} the pool makes: the same, with cache-line padding after its fields (a
 * subclass's fields are laid out after its superclass's). Not final in {@code ObjectSlot} only for
 * this; the JIT sees a single implementation.
 *
 * @param <T> the type of the object
 */
final class PaddedObjectSlot<T> extends ObjectSlot<T> {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    PaddedObjectSlot(StripedObjectPool<T> pool, T object) {
        super(pool, object);
    }
}
