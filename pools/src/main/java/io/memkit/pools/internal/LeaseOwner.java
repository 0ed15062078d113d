package io.memkit.pools.internal;

import io.memkit.buffers.internal.SliceOwner;
import java.nio.ByteBuffer;

/**
 * The lifetime of one lease as its Slices see it: created on the lease's first {@code slice()}
 * call (so a lease that never makes a Slice costs no owner), invalidated at the
 * lease's last close, never reused. Slices address the whole slab with absolute indices and check
 * this owner on every access.
 *
 * <p>It holds the lease handle strongly, so a Slice keeps its lease reachable: leak detection never
 * reports a lease while a Slice of it is alive.
 */
final class LeaseOwner extends SliceOwner {
    private final Lease lease;

    LeaseOwner(Lease lease, ByteBuffer slabMemory) {
        super(slabMemory);
        this.lease = lease;
    }

    /** Ends the lease's lifetime for every Slice over this owner. Idempotent. */
    void end() {
        invalidate();
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
