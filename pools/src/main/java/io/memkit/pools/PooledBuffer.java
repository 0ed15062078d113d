package io.memkit.pools;

import io.memkit.buffers.Slice;
import java.nio.ByteBuffer;

/**
 * A lease of direct memory from a {@link BufferPool}: use it, then {@link #close()} it, best in
 * try-with-resources.
 *
 * <p><b>Lifetime.</b> A lease starts with one owner; {@link #retain()} adds one. Each owner calls
 * {@link #close()} once; the last close returns the memory to the pool. From then on every method
 * except {@link #capacity()}, {@link #refCount()} and {@link #isReleased()} throws
 * {@link IllegalStateException}, and so does every {@link Slice} made by {@link #slice()}: forever,
 * even after the pool handed the same memory to another lease. A handle is never reused for another
 * lease, so a stale {@code close()} can never release someone else's memory.
 *
 * <p><b>Raw views.</b> {@link #byteBuffer()} hands out the memory itself: a {@code ByteBuffer}
 * cannot be invalidated, so one kept past the last close reads and writes whatever lease holds the
 * memory next. Prefer {@link #slice()}, which is checked on every access. A lease whose raw view
 * escaped is never reclaimed by leak detection (it is quarantined instead).
 *
 * <p><b>Thread-safety.</b> All methods are thread-safe; any thread may retain or close a lease
 * acquired by another. Closing or retaining a lease concurrently with its last close is a caller
 * bug that memkit detects on a best-effort basis: exactly one of two racing last closes succeeds,
 * the other throws.
 */
public interface PooledBuffer extends AutoCloseable {

    /**
     * The capacity asked for at acquire. Works after release too.
     *
     * @return the capacity in bytes, {@code >= 0}
     */
    int capacity();

    /**
     * The lease's direct buffer: at the first call, position 0, limit and capacity
     * {@link #capacity()}, big-endian; later calls return the same buffer object with whatever
     * position and limit it was left at (two threads making the first call at the same moment
     * may each get their own buffer object over the same memory). The content is not zeroed at
     * acquire. Costs one {@code ByteBuffer} view object (64 bytes) on the first call per lease,
     * nothing after.
     *
     * <p>The buffer is raw memory: it stays usable after release and then aliases the next owner's
     * bytes. Never use it after {@link #close()}.
     *
     * @return the direct buffer of this lease
     * @throws IllegalStateException if the lease was released
     */
    ByteBuffer byteBuffer();

    /**
     * A checked, zero-copy view of the whole lease: O(1), no copy of the bytes.
     *
     * @return a {@link Slice} of {@link #capacity()} bytes that throws once the lease is released
     * @throws IllegalStateException if the lease was released
     */
    Slice slice();

    /**
     * A checked, zero-copy view of bytes {@code [index, index + length)} of the lease.
     *
     * @param index  first byte, {@code 0 <= index <= capacity()}
     * @param length number of bytes, {@code 0 <= length <= capacity() - index}
     * @return a {@link Slice} that throws once the lease is released
     * @throws IndexOutOfBoundsException if the window is not inside the lease
     * @throws IllegalStateException     if the lease was released
     */
    Slice slice(int index, int length);

    /**
     * Adds an owner: one more {@link #close()} is then needed to release the lease.
     *
     * @return this lease
     * @throws IllegalStateException if the lease was released, or already has 16,777,215 owners
     */
    PooledBuffer retain();

    /**
     * The number of owners that have not closed yet.
     *
     * @return the reference count, 0 once released
     */
    int refCount();

    /**
     * Whether the last owner has closed this lease (or leak detection reclaimed it).
     *
     * @return {@code true} once released
     */
    boolean isReleased();

    /**
     * One owner is done; at the last owner the memory returns to the pool (or is freed, if it was
     * dedicated or the pool is closed) and every {@link Slice} of the lease becomes unusable. O(1),
     * allocates nothing.
     *
     * @throws IllegalStateException if the lease was already released; nothing changes then, and
     *                               the pool counts it in {@link BufferPoolStats#doubleReleases()}
     */
    @Override
    void close();
}
