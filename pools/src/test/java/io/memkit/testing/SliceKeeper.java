package io.memkit.testing;

import io.memkit.buffers.Slice;
import io.memkit.pools.BufferPool;

/** Acquires from outside memkit's pool packages and keeps only a Slice of the lease. */
public final class SliceKeeper {
    private SliceKeeper() {
    }

    /**
     * Acquires a lease, drops the handle and returns a Slice of it.
     *
     * @param pool     the pool
     * @param capacity the capacity
     * @param rawView  whether to take a raw view through the Slice
     * @return the Slice, which keeps the lease reachable
     */
    public static Slice sliceOfDroppedLease(BufferPool pool, int capacity, boolean rawView) {
        Slice s = pool.acquire(capacity).slice();
        if (rawView) {
            s.asByteBuffer();
        }
        return s;
    }
}
