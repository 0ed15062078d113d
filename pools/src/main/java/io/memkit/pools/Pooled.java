package io.memkit.pools;

/**
 * One loan of an object from an {@link ObjectPool}: hold it in try-with-resources and close it
 * exactly once.
 *
 * <pre>{@code
 * try (Pooled<StringBuilder> sb = pool.acquire()) {
 *     sb.get().append("id=").append(id);
 *     out.write(sb.get());
 * }
 * }</pre>
 *
 * <p>Each acquire returns a new handle; handles are never recycled, so a stale handle can never
 * release or reach a later holder's loan of the same object. After {@link #close()},
 * {@link #get()} throws, and a second {@code close()} throws and changes nothing. Don't keep the
 * object past {@code close()}: the pool hands it to the next holder.
 *
 * <p>Thread-safety: a handle may be passed to and closed by another thread. If two threads close
 * the same handle at once, exactly one releases the object and the other throws. A
 * {@link #get()} racing with a {@link #close()} on another thread is a bug in the caller: it
 * returns the object or throws {@link IllegalStateException}, and the object may already be in
 * the next holder's hands; a {@code get()} ordered after the close (same thread, or any
 * happens-before edge) always throws.
 *
 * @param <T> the type of the pooled object
 */
public interface Pooled<T> extends AutoCloseable {

    /**
     * The object lent. O(1): one load and compare to check the loan is still live.
     *
     * @return the object, never {@code null}
     * @throws IllegalStateException if this handle was closed ("released")
     */
    T get();

    /**
     * Whether this handle was closed.
     *
     * @return {@code true} once {@link #close()} has released the object
     */
    boolean isReleased();

    /**
     * Gives the object back: the pool runs its reset, then its validation, then keeps the object
     * idle or discards it. If the reset or the validation throws, the object is discarded and the
     * exception propagates unchanged; the handle is released either way.
     *
     * @throws IllegalStateException if this handle was already closed; nothing changes then
     * @throws RuntimeException      whatever the pool's reset or validation threw, unchanged
     */
    @Override
    void close();
}
