package io.memkit.pools.internal;

import io.memkit.buffers.internal.SliceOwner;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The lifetime of one lease as its Slices see it: created on the lease's first {@code slice()} or
 * {@code byteBuffer()} call (so a lease that never makes a view costs no owner), invalidated at the
 * lease's last close, never reused. Slices address the whole slab with absolute indices and check
 * this owner on every access.
 *
 * <p>It holds the lease handle strongly, so a Slice keeps its lease reachable: leak detection never
 * reports a lease while a Slice of it is alive.
 */
final class LeaseOwner extends SliceOwner {
    private static final VarHandle VIEW;

    static {
        try {
            VIEW = MethodHandles.lookup().findVarHandle(LeaseOwner.class, "view", ByteBuffer.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Lease lease;
    /** The lease's raw buffer, made on the first {@code byteBuffer()} call. */
    private volatile ByteBuffer view;

    LeaseOwner(Lease lease, ByteBuffer slabMemory) {
        super(slabMemory);
        this.lease = lease;
    }

    /** Ends the lease's lifetime for every Slice over this owner. Idempotent. */
    void end() {
        invalidate();
    }

    /**
     * The lease's raw buffer: one view object per lease, made on first use.
     *
     * @param offset the block's first byte in the slab
     * @param capacity the lease's capacity
     * @return the view, position 0 and limit {@code capacity} when made
     */
    ByteBuffer view(int offset, int capacity) {
        ByteBuffer v = view;
        if (v == null) {
            ByteBuffer made = memory().slice(offset, capacity);
            v = (ByteBuffer) VIEW.compareAndExchange(this, null, made);
            if (v == null) {
                v = made;
            }
        }
        return v;
    }

    @Override
    public void rawViewEscaped() {
        lease.markEscaped();
    }

    @Override
    public String describe() {
        return lease.describe();
    }
}
