package io.memkit.pools.internal;

import io.memkit.pools.PooledBuffer;
import java.nio.ByteBuffer;

/**
 * A lease's memory and lifetime without its handle, for memkit's own integration modules (exported
 * to {@code io.memkit.netty} only; not API): a holder keeps the lease's {@linkplain #token token}
 * and {@linkplain #stamp stamp} and reads and writes the lease's block in its slab's shared buffer
 * at {@linkplain #offset offset}, so the handle can be scalar-replaced and no {@code ByteBuffer}
 * view is made per lease.
 *
 * <p>The holder takes on the handle's duties: it accesses only {@code [offset, offset + capacity)}
 * of {@link #memory} and only with absolute indices (the buffer is shared by every lease of the
 * slab and by every thread, so its position and limit must never move); it keeps the token
 * strongly reachable for as long as it holds the lease (for a tracked lease the token is what leak
 * detection watches); it calls {@link #markEscaped} before it hands a raw view of the memory to
 * anyone; and it calls {@link #close} exactly once. A lease of another {@code BufferPool}
 * implementation works too: its token is the lease itself and its memory the lease's own
 * {@code byteBuffer()}.
 *
 * <p>All methods are static, O(1) and allocate nothing; thread-safety as {@link PooledBuffer}.
 */
public final class LeaseMemory {

    private LeaseMemory() {
    }

    /**
     * What {@link #close}, {@link #isLive} and {@link #markEscaped} need besides the stamp: the
     * lease's block, or its leak anchor if leak detection tracks it (the anchor leads to the block),
     * or the lease itself if it is not one of memkit's. Never the handle of a memkit lease, so that
     * keeping the token does not keep the handle from being scalar-replaced.
     *
     * @param lease a live lease
     * @return the token, never {@code null}
     */
    public static Object token(PooledBuffer lease) {
        if (!(lease instanceof Lease)) {
            return lease;
        }
        Lease l = (Lease) lease;
        return l.anchor != null ? l.anchor : l.block;
    }

    /**
     * The lease's generation stamp (0 for another implementation's lease).
     *
     * @param lease a live lease
     * @return the stamp to pass to {@link #close} and {@link #isLive}
     */
    public static long stamp(PooledBuffer lease) {
        return lease instanceof Lease ? ((Lease) lease).stamp : 0;
    }

    /**
     * The buffer that holds the lease's bytes at {@link #offset}: the slab's buffer, shared, for
     * absolute access only; for another implementation's lease its own {@code byteBuffer()}.
     *
     * @param lease a live lease
     * @return the buffer, big-endian
     * @throws IllegalStateException if another implementation's lease was released
     */
    public static ByteBuffer memory(PooledBuffer lease) {
        return lease instanceof Lease ? ((Lease) lease).block.slab.memory : lease.byteBuffer();
    }

    /**
     * Where the lease's bytes start in {@link #memory}.
     *
     * @param lease a live lease
     * @return the offset, {@code >= 0}
     */
    public static int offset(PooledBuffer lease) {
        return lease instanceof Lease ? ((Lease) lease).block.offset : 0;
    }

    /**
     * A view of the lease's block for channel I/O, whose position and limit the holder may move:
     * the block's own, reused lease after lease.
     *
     * @param token    the lease's token
     * @param memory   the lease's memory
     * @param offset   the lease's offset
     * @param capacity the lease's capacity
     * @return a view starting at the lease's first byte, at least {@code capacity} long
     */
    public static ByteBuffer ioView(Object token, ByteBuffer memory, int offset, int capacity) {
        Block b = blockOf(token);
        if (b == null) {
            return memory.slice(offset, capacity);
        }
        ByteBuffer v = b.ioView;
        if (v == null) {
            v = b.slab.memory.slice(b.offset, b.blockSize);
            b.ioView = v;
        }
        return v;
    }

    /**
     * Records that a raw view of the memory is leaving the holder: leak detection then quarantines
     * the memory of a leaked lease rather than reusing it. Nothing to do for an untracked lease.
     *
     * @param token the lease's {@link #token}
     */
    public static void markEscaped(Object token) {
        if (token instanceof LeakAnchor) {
            ((LeakAnchor) token).record.rawEscaped = true;
        }
    }

    /**
     * Whether the lease is still live: one volatile load and a compare for memkit's leases.
     *
     * @param token the lease's {@link #token}
     * @param stamp the lease's {@link #stamp}
     * @return {@code true} until the lease's last close
     */
    public static boolean isLive(Object token, long stamp) {
        Block b = blockOf(token);
        return b != null ? b.isLive(stamp) : !((PooledBuffer) token).isReleased();
    }

    /**
     * Ends the holder's (only) share of the lease, which returns its memory to the pool: what the
     * handle's {@code close()} does.
     *
     * @param token    the lease's {@link #token}
     * @param stamp    the lease's {@link #stamp}
     * @param capacity the lease's capacity, for the message of a double release
     * @throws IllegalStateException if the lease was already released (nothing changes then)
     */
    public static void close(Object token, long stamp, int capacity) {
        Block b = blockOf(token);
        if (b == null) {
            ((PooledBuffer) token).close();
            return;
        }
        LeakAnchor anchor = token instanceof LeakAnchor ? (LeakAnchor) token : null;
        int r = b.close(stamp);
        if (r == Block.LAST_OWNER) {
            // No Slice owner: the holder never made one, and the handle that could is gone.
            b.pool.leaseEndedOutOfLine(b, null, anchor);
        } else if (r == Block.ENDED) {
            throw b.pool.doubleRelease(capacity);
        }
    }

    /**
     * The block behind a token of memkit's own leases: the block, or a tracked lease's anchor.
     *
     * @param token a lease's {@link #token}
     * @return the block, or null for a lease of another {@code BufferPool} implementation
     */
    private static Block blockOf(Object token) {
        return token instanceof Block ? (Block) token
                : token instanceof LeakAnchor ? ((LeakAnchor) token).record.block : null;
    }
}
