package io.memkit.testing;

import io.memkit.pools.ObjectPool;

/** Acquires from an object pool outside memkit's packages and drops the handle, as leaking code does. */
public final class LeakyObjectHolder {
    private LeakyObjectHolder() {
    }

    /**
     * Acquires a loan and drops its handle without closing it.
     *
     * @param pool the pool
     * @param <T>  the object type
     * @return the object that was lent (the handle is gone)
     */
    public static <T> T acquireAndDrop(ObjectPool<T> pool) {
        return pool.acquire().get();
    }
}
