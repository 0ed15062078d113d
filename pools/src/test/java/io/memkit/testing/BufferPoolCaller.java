package io.memkit.testing;

import io.memkit.pools.BufferPool;
import io.memkit.pools.PooledBuffer;

/** Acquires from outside memkit's pool packages, as user code does (leak stacks start here). */
public final class BufferPoolCaller {
    private BufferPoolCaller() {
    }

    /**
     * Acquires a lease.
     *
     * @param pool     the pool
     * @param capacity the capacity
     * @return the lease
     */
    public static PooledBuffer acquire(BufferPool pool, int capacity) {
        return pool.acquire(capacity);
    }

    /**
     * Acquires a lease and drops it without closing it.
     *
     * @param pool       the pool
     * @param capacity   the capacity
     * @param rawView    whether to take the raw {@code ByteBuffer} view first
     */
    public static void acquireAndDrop(BufferPool pool, int capacity, boolean rawView) {
        PooledBuffer leaked = pool.acquire(capacity);
        if (rawView) {
            leaked.byteBuffer().put(0, (byte) 1);
        }
    }
}
