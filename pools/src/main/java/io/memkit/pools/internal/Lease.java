package io.memkit.pools.internal;

import io.memkit.buffers.Slice;
import io.memkit.buffers.internal.SliceAccess;
import io.memkit.pools.PooledBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The handle of one lease: a new object per acquire, never recycled, never stored by the pool on the
 * untracked path (so the JIT can scalar-replace it when acquire and close inline into the caller).
 * Its lifetime lives in its {@link Block}'s state under the handle's stamp; see {@link Block}.
 */
final class Lease implements PooledBuffer {
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Lease.class, "owner", LeaseOwner.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Package-private for LeaseMemory, which lets a friend module keep these instead of the handle.
    final Block block;
    final long stamp;
    private final int capacity;
    /** Non-null for tracked leases only. */
    final LeakAnchor anchor;
    /** The Slice owner, made on the first view; read after the last close's CAS to invalidate it. */
    private volatile LeaseOwner owner;
    /**
     * The raw buffer, made on the first {@code byteBuffer()} call. Here rather than in the Slice
     * owner, so that a lease read only through its raw buffer needs no owner, and its handle can
     * still be scalar-replaced. Volatile: a buffer must never be seen half-built by another thread.
     */
    private volatile ByteBuffer view;

    Lease(Block block, long stamp, int capacity, LeakAnchor anchor) {
        this.block = block;
        this.stamp = stamp;
        this.capacity = capacity;
        this.anchor = anchor;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public ByteBuffer byteBuffer() {
        ByteBuffer v = view;
        if (v == null) {
            v = newView();
        } else if (!block.isLive(stamp)) {
            throw released("byteBuffer");
        }
        markEscaped();
        return v;
    }

    /**
     * The first raw view. Two threads making it at once may each get their own buffer object (over
     * the same memory), and later calls then return the one stored last; a compare-and-set here
     * would keep escape analysis from removing the handle.
     */
    private ByteBuffer newView() {
        Block b = block;
        if (!b.isLive(stamp)) {
            throw released("byteBuffer");
        }
        ByteBuffer v = b.slab.memory.slice(b.offset, capacity);
        view = v;
        // Checked again: a last close that raced with this call must not hand out the view.
        if (!b.isLive(stamp)) {
            throw released("byteBuffer");
        }
        return v;
    }

    @Override
    public Slice slice() {
        return slice(0, capacity);
    }

    @Override
    public Slice slice(int index, int length) {
        Objects.checkFromIndexSize(index, length, capacity);
        return SliceAccess.slice(owner(), block.offset + index, length);
    }

    @Override
    public PooledBuffer retain() {
        int r = block.retain(stamp);
        if (r != Block.DONE) {
            throw r == Block.ENDED ? released("retain") : new IllegalStateException(
                    describe() + " already has the maximum of " + Block.REF_MASK + " owners");
        }
        return this;
    }

    @Override
    public int refCount() {
        return block.refCount(stamp);
    }

    @Override
    public boolean isReleased() {
        return !block.isLive(stamp);
    }

    @Override
    public void close() {
        // At most MaxTrivialSize (6 bytes of bytecode): C2 inlines trivial methods even at call
        // sites it has never seen run, such as the exceptional exit of a try-with-resources, where
        // a larger close() would be a real call with the handle as its receiver, and the handle
        // would escape (JDK 17 to 21; newer JDKs prune such exits).
        end();
    }

    /** Ends this owner's share of the lease; the last one returns the block. */
    private void end() {
        // The handle itself is never passed to a call that might not inline (only its fields are),
        // so that escape analysis can scalar-replace it even where the JIT keeps these calls out of line.
        Block b = block;
        int r = b.close(stamp);
        if (r == Block.LAST_OWNER) {
            // Volatile read of owner after the state CAS; owner() does the mirror image (CAS owner,
            // then read the state), so either this sees the owner or owner() sees the release.
            b.pool.leaseEndedOutOfLine(b, owner, anchor);
        } else if (r == Block.ENDED) {
            throw b.pool.doubleRelease(capacity);
        }
    }

    /** The Slice owner of this lease, made on first use; throws if the lease was released. */
    private LeaseOwner owner() {
        LeaseOwner o = owner;
        if (o == null) {
            if (!block.isLive(stamp)) {
                throw released("view");
            }
            LeaseOwner made = new LeaseOwner(this, block.slab.memory);
            o = (LeaseOwner) OWNER.compareAndExchange(this, null, made);
            if (o == null) {
                o = made;
            }
        }
        if (!block.isLive(stamp)) {
            o.end();
            throw released("view");
        }
        return o;
    }

    /** Records that a raw view left the lease: a leak of it must then be quarantined. */
    void markEscaped() {
        LeakAnchor a = anchor;
        if (a != null) {
            a.record.rawEscaped = true;
        }
    }

    String describe() {
        return describe(capacity, block.pool);
    }

    static String describe(int capacity, DirectBufferPool pool) {
        return "lease of " + capacity + " bytes from BufferPool '" + pool.name() + "'";
    }

    private IllegalStateException released(String op) {
        return released(op, capacity, block.pool);
    }

    static IllegalStateException released(String op, int capacity, DirectBufferPool pool) {
        return new IllegalStateException("cannot " + op + ": " + describe(capacity, pool) + " was released");
    }

    @Override
    public String toString() {
        return "PooledBuffer[capacity=" + capacity + ", refCount=" + refCount() + ", pool="
                + block.pool.name() + "]";
    }
}
