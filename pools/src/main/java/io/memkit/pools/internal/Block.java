package io.memkit.pools.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A block of a slab and the lifetime of the lease that holds it: the pool's permanent record for
 * one piece of memory, reused lease after lease (unlike the lease handles and Slice owners, which
 * are new for every lease).
 *
 * <p>{@link #state} packs a generation stamp (high 40 bits) and the lease's reference count (low
 * 24 bits). An idle block is {@code (s, 0)}; acquire makes it {@code (s, 1)} and gives the handle
 * stamp {@code s}; the last close moves it to {@code (s + 1, 0)} in one CAS. A handle whose stamp is
 * no longer the block's is stale: it fails every operation and can never change the state again,
 * so a stale {@code close()} cannot free the next lease (the failure Netty's recycled buffers allow).
 * The stamp wraps after 2^40 leases of the same block.
 */
final class Block {

    /** {@link #retain} and {@link #close}: the lease with that stamp had already ended; nothing changed. */
    static final int ENDED = -1;
    /** {@link #retain}: the owner was added. {@link #close}: an owner was removed, others remain. */
    static final int DONE = 0;
    /** {@link #retain}: the lease already has {@link #REF_MASK} owners; nothing changed. */
    static final int AT_OWNER_LIMIT = 1;
    /** {@link #close}: that was the last owner; the block is now the caller's to give back. */
    static final int LAST_OWNER = 2;

    static final int REF_BITS = 24;
    static final long REF_MASK = (1L << REF_BITS) - 1;
    static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Block.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final DirectBufferPool pool;
    final Slab slab;
    final int sizeClass;
    final int blockSize;
    /** First byte of the block in {@code slab.memory}. */
    final int offset;
    /** Generation stamp and reference count; see the class comment. */
    volatile long state;
    /** A view for channel I/O, made by the first holder that needs one, reused by later leases. */
    ByteBuffer ioView;

    Block(DirectBufferPool pool, Slab slab, int offset) {
        this.pool = pool;
        this.slab = slab;
        this.sizeClass = slab.sizeClass;
        this.blockSize = slab.blockSize;
        this.offset = offset;
    }

    /**
     * Starts a lease of this idle block, which the caller holds exclusively.
     *
     * @return the lease's stamp
     */
    long lease() {
        long stamp = state >>> REF_BITS;
        // Release store: the block is exclusively ours (taken from a cache under a guard or lock),
        // so no CAS is needed; stale handles see a stamp that is not theirs either way.
        STATE.setRelease(this, (stamp << REF_BITS) | 1);
        return stamp;
    }

    /**
     * Whether the lease with this stamp is still live.
     *
     * @param stamp the lease's stamp
     * @return {@code true} until its last close
     */
    boolean isLive(long stamp) {
        return state >>> REF_BITS == stamp;
    }

    /**
     * The reference count of the lease with this stamp.
     *
     * @param stamp the lease's stamp
     * @return owners left, 0 once released
     */
    int refCount(long stamp) {
        long st = state;
        return st >>> REF_BITS == stamp ? (int) (st & REF_MASK) : 0;
    }

    /**
     * Adds an owner to the lease with this stamp.
     *
     * @param stamp the lease's stamp
     * @return {@link #DONE}, {@link #ENDED} or {@link #AT_OWNER_LIMIT}
     */
    int retain(long stamp) {
        for (;;) {
            long st = state;
            if (st >>> REF_BITS != stamp) {
                return ENDED;
            }
            if ((st & REF_MASK) == REF_MASK) {
                return AT_OWNER_LIMIT;
            }
            if (STATE.compareAndSet(this, st, st + 1)) {
                return DONE;
            }
        }
    }

    /**
     * Removes an owner of the lease with this stamp.
     *
     * @param stamp the lease's stamp
     * @return {@link #LAST_OWNER}, {@link #DONE} (owners remain) or {@link #ENDED}
     */
    int close(long stamp) {
        long live = (stamp << REF_BITS) | 1;
        if (STATE.compareAndSet(this, live, (stamp + 1) << REF_BITS)) {
            return LAST_OWNER;
        }
        return closeContended(stamp);
    }

    private int closeContended(long stamp) {
        for (;;) {
            long st = state;
            if (st >>> REF_BITS != stamp) {
                return ENDED;
            }
            long refs = st & REF_MASK;
            long next = refs == 1 ? (stamp + 1) << REF_BITS : st - 1;
            if (STATE.compareAndSet(this, st, next)) {
                return refs == 1 ? LAST_OWNER : DONE;
            }
        }
    }

    /**
     * Ends the lease with this stamp whatever its owners: for leaks, whose handle is gone.
     *
     * @param stamp the lease's stamp
     * @return {@code true} if the lease was live and is now ended by this call
     */
    boolean forceEnd(long stamp) {
        for (;;) {
            long st = state;
            if (st >>> REF_BITS != stamp) {
                return false;
            }
            if (STATE.compareAndSet(this, st, (stamp + 1) << REF_BITS)) {
                return true;
            }
        }
    }
}
