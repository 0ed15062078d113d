package io.memkit.netty;

import io.memkit.pools.PooledBuffer;
import io.netty.buffer.AbstractReferenceCountedByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.Buffer;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;

/**
 * A direct {@code ByteBuf} whose memory is one {@link PooledBuffer} lease, given back to the pool
 * on the last {@code release()}.
 *
 * <p>A new object per allocation, never recycled: once released it stays released, so every later
 * use of it or of a buffer derived from it (derived buffers delegate to it) throws
 * {@link IllegalReferenceCountException}, and a stale {@code release()} throws and frees nothing,
 * whoever holds the memory now.
 *
 * <p>Reads load the bytes and then check that the lease is still live (behind a LoadLoad fence),
 * so a read racing with the last release on another thread returns this buffer's bytes or throws,
 * never bytes a later owner of the memory wrote: the pool flips the lease's state before it hands
 * the memory on. Raw views ({@link #nioBuffer}, {@link #internalNioBuffer}, {@link #memoryAddress})
 * cannot be checked, exactly as with Netty's own direct buffers; writes check the reference count
 * first, as every Netty buffer does.
 *
 * <p>{@link #capacity()} is what was asked for. Growth beyond the lease takes a larger lease, copies
 * and closes the old one; shrinking keeps the lease. Not thread-safe for writes and capacity changes
 * (as every {@code ByteBuf}); reads from several threads are safe while the buffer is live.
 */
final class LeasedDirectByteBuf extends AbstractReferenceCountedByteBuf {

    private static final VarHandle LEASE;

    /**
     * Gives the address of a direct buffer without Netty's Unsafe access: {@code
     * MemorySegment.ofBuffer(buffer).address()} on JDK 22+ (public API there; a preview on 21, so not
     * used), found by reflection since this code compiles for Java 17; {@code null} elsewhere.
     */
    private static final MethodHandle SEGMENT_ADDRESS = segmentAddress();
    /** Whether memory addresses can be had: where Netty's own direct buffers have one. */
    private static final boolean HAS_ADDRESS = PlatformDependent.hasUnsafe() || SEGMENT_ADDRESS != null;

    private static MethodHandle segmentAddress() {
        if (Runtime.version().feature() < 22) {
            return null;
        }
        try {
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle ofBuffer = lookup.findStatic(segment, "ofBuffer", MethodType.methodType(segment, Buffer.class));
            MethodHandle address = lookup.findVirtual(segment, "address", MethodType.methodType(long.class));
            return MethodHandles.filterReturnValue(ofBuffer, address)
                    .asType(MethodType.methodType(long.class, ByteBuffer.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static {
        try {
            LEASE = MethodHandles.lookup().findVarHandle(LeasedDirectByteBuf.class, "lease", PooledBuffer.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemkitByteBufAllocator alloc;
    /**
     * The lease, published with release semantics after {@link #memory} on growth and read with
     * acquire semantics before it, so a reader that sees a lease sees its memory (or newer).
     */
    private volatile PooledBuffer lease;
    /** The lease's own view: position 0, limit = the lease's capacity; only absolute access. */
    private ByteBuffer memory;
    /** The capacity the user sees: at most the lease's capacity. */
    private int capacity;
    /** A view for channel I/O that moves its position and limit; made on first use. */
    private ByteBuffer ioView;
    /** The address of {@link #memory}, found on first use; 0 until then. */
    private long address;

    LeasedDirectByteBuf(MemkitByteBufAllocator alloc, PooledBuffer lease, int maxCapacity) {
        super(maxCapacity);
        this.alloc = alloc;
        this.memory = lease.byteBuffer();
        this.capacity = lease.capacity();
        LEASE.setRelease(this, lease);
    }

    // ---- reads: load, fence, re-check the lease ----

    private PooledBuffer leaseForRead() {
        return (PooledBuffer) LEASE.getAcquire(this);
    }

    private void checkAfterRead(PooledBuffer l) {
        VarHandle.loadLoadFence();
        if (l.isReleased()) {
            throw staleRead();
        }
    }

    private IllegalReferenceCountException staleRead() {
        return new IllegalReferenceCountException("a read raced with the last release of a "
                + capacity + "-byte buffer of " + alloc + "; its memory may belong to another buffer now");
    }

    @Override
    protected byte _getByte(int index) {
        PooledBuffer l = leaseForRead();
        byte v = memory.get(index);
        checkAfterRead(l);
        return v;
    }

    @Override
    protected short _getShort(int index) {
        PooledBuffer l = leaseForRead();
        short v = memory.getShort(index);
        checkAfterRead(l);
        return v;
    }

    @Override
    protected short _getShortLE(int index) {
        return Short.reverseBytes(_getShort(index));
    }

    @Override
    protected int _getUnsignedMedium(int index) {
        PooledBuffer l = leaseForRead();
        ByteBuffer m = memory;
        int v = (m.get(index) & 0xff) << 16 | (m.getShort(index + 1) & 0xffff);
        checkAfterRead(l);
        return v;
    }

    @Override
    protected int _getUnsignedMediumLE(int index) {
        PooledBuffer l = leaseForRead();
        ByteBuffer m = memory;
        int v = (m.get(index) & 0xff) | (Short.reverseBytes(m.getShort(index + 1)) & 0xffff) << 8;
        checkAfterRead(l);
        return v;
    }

    @Override
    protected int _getInt(int index) {
        PooledBuffer l = leaseForRead();
        int v = memory.getInt(index);
        checkAfterRead(l);
        return v;
    }

    @Override
    protected int _getIntLE(int index) {
        return Integer.reverseBytes(_getInt(index));
    }

    @Override
    protected long _getLong(int index) {
        PooledBuffer l = leaseForRead();
        long v = memory.getLong(index);
        checkAfterRead(l);
        return v;
    }

    @Override
    protected long _getLongLE(int index) {
        return Long.reverseBytes(_getLong(index));
    }

    // ---- writes: AbstractByteBuf has checked the index and the reference count ----

    @Override
    protected void _setByte(int index, int value) {
        memory.put(index, (byte) value);
    }

    @Override
    protected void _setShort(int index, int value) {
        memory.putShort(index, (short) value);
    }

    @Override
    protected void _setShortLE(int index, int value) {
        memory.putShort(index, Short.reverseBytes((short) value));
    }

    @Override
    protected void _setMedium(int index, int value) {
        ByteBuffer m = memory;
        m.put(index, (byte) (value >>> 16));
        m.putShort(index + 1, (short) value);
    }

    @Override
    protected void _setMediumLE(int index, int value) {
        ByteBuffer m = memory;
        m.put(index, (byte) value);
        m.putShort(index + 1, Short.reverseBytes((short) (value >>> 8)));
    }

    @Override
    protected void _setInt(int index, int value) {
        memory.putInt(index, value);
    }

    @Override
    protected void _setIntLE(int index, int value) {
        memory.putInt(index, Integer.reverseBytes(value));
    }

    @Override
    protected void _setLong(int index, long value) {
        memory.putLong(index, value);
    }

    @Override
    protected void _setLongLE(int index, long value) {
        memory.putLong(index, Long.reverseBytes(value));
    }

    // ---- capacity ----

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        checkNewCapacity(newCapacity);
        PooledBuffer old = lease;
        if (newCapacity <= old.capacity()) {
            if (newCapacity < capacity) {
                trimIndicesToCapacity(newCapacity);
            }
            capacity = newCapacity;
            return this;
        }
        PooledBuffer grown = alloc.acquireLease(newCapacity);
        ByteBuffer m = grown.byteBuffer();
        m.put(0, memory, 0, capacity);
        memory = m;
        ioView = null;
        address = 0;
        capacity = newCapacity;
        LEASE.setRelease(this, grown);
        alloc.leaseReleased(old);
        return this;
    }

    @Override
    protected void deallocate() {
        alloc.leaseReleased(lease);
    }

    // ---- identity ----

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    @Override
    public ByteOrder order() {
        return ByteOrder.BIG_ENDIAN;
    }

    @Override
    public ByteBuf unwrap() {
        return null;
    }

    @Override
    public boolean isDirect() {
        return true;
    }

    @Override
    public boolean isContiguous() {
        return true;
    }

    @Override
    public boolean hasArray() {
        return false;
    }

    @Override
    public byte[] array() {
        throw new UnsupportedOperationException("a direct buffer has no backing array");
    }

    @Override
    public int arrayOffset() {
        throw new UnsupportedOperationException("a direct buffer has no backing array");
    }

    @Override
    public boolean hasMemoryAddress() {
        return HAS_ADDRESS;
    }

    @Override
    public long memoryAddress() {
        ensureAccessible();
        if (!HAS_ADDRESS) {
            throw new UnsupportedOperationException("Netty has no access to memory addresses in this JVM");
        }
        long a = address;
        if (a == 0) {
            a = addressOf(memory);
            address = a;
        }
        return a;
    }

    private static long addressOf(ByteBuffer memory) {
        if (PlatformDependent.hasUnsafe()) {
            return PlatformDependent.directBufferAddress(memory);
        }
        try {
            return (long) SEGMENT_ADDRESS.invokeExact(memory);
        } catch (Throwable e) {
            throw new UnsupportedOperationException("no address for the direct buffer " + memory, e);
        }
    }

    // ---- bulk reads ----

    @Override
    public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
        checkDstIndex(index, length, dstIndex, dst.length);
        PooledBuffer l = leaseForRead();
        memory.get(index, dst, dstIndex, length);
        checkAfterRead(l);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuffer dst) {
        int length = dst.remaining();
        checkIndex(index, length);
        PooledBuffer l = leaseForRead();
        int p = dst.position();
        dst.put(p, memory, index, length);
        checkAfterRead(l);
        dst.position(p + length);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuf dst, int dstIndex, int length) {
        checkDstIndex(index, length, dstIndex, dst.capacity());
        if (dst.hasArray()) {
            getBytes(index, dst.array(), dst.arrayOffset() + dstIndex, length);
        } else if (dst.nioBufferCount() > 0) {
            PooledBuffer l = leaseForRead();
            int i = index;
            for (ByteBuffer part : dst.nioBuffers(dstIndex, length)) {
                int n = part.remaining();
                part.put(part.position(), memory, i, n);
                i += n;
            }
            checkAfterRead(l);
        } else {
            dst.setBytes(dstIndex, this, index, length);
        }
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, OutputStream out, int length) throws IOException {
        checkIndex(index, length);
        if (length == 0) {
            return this;
        }
        // Through a heap copy checked before it leaves: a stream must never see another lease's bytes.
        byte[] chunk = new byte[Math.min(length, 8192)];
        int i = index;
        int end = index + length;
        while (i < end) {
            int n = Math.min(chunk.length, end - i);
            getBytes(i, chunk, 0, n);
            out.write(chunk, 0, n);
            i += n;
        }
        return this;
    }

    @Override
    public int getBytes(int index, GatheringByteChannel out, int length) throws IOException {
        checkIndex(index, length);
        if (length == 0) {
            return 0;
        }
        return out.write(memory.slice(index, length));
    }

    @Override
    public int getBytes(int index, FileChannel out, long position, int length) throws IOException {
        checkIndex(index, length);
        if (length == 0) {
            return 0;
        }
        return out.write(memory.slice(index, length), position);
    }

    @Override
    public ByteBuf copy(int index, int length) {
        checkIndex(index, length);
        ByteBuf copy = alloc.directBuffer(length, maxCapacity());
        try {
            getBytes(index, copy, 0, length);
            copy.writerIndex(length);
            return copy;
        } catch (RuntimeException | Error e) {
            copy.release();
            throw e;
        }
    }

    // ---- bulk writes ----

    @Override
    public ByteBuf setBytes(int index, byte[] src, int srcIndex, int length) {
        checkSrcIndex(index, length, srcIndex, src.length);
        memory.put(index, src, srcIndex, length);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuffer src) {
        int length = src.remaining();
        checkIndex(index, length);
        int p = src.position();
        memory.put(index, src, p, length);
        src.position(p + length);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuf src, int srcIndex, int length) {
        checkSrcIndex(index, length, srcIndex, src.capacity());
        if (src.hasArray()) {
            setBytes(index, src.array(), src.arrayOffset() + srcIndex, length);
        } else if (src.nioBufferCount() > 0) {
            int i = index;
            for (ByteBuffer part : src.nioBuffers(srcIndex, length)) {
                int n = part.remaining();
                memory.put(i, part, part.position(), n);
                i += n;
            }
        } else {
            src.getBytes(srcIndex, this, index, length);
        }
        return this;
    }

    @Override
    public int setBytes(int index, InputStream in, int length) throws IOException {
        checkIndex(index, length);
        byte[] tmp = new byte[length];
        int n = in.read(tmp, 0, length);
        if (n > 0) {
            ensureAccessible();
            memory.put(index, tmp, 0, n);
        }
        return n;
    }

    @Override
    public int setBytes(int index, ScatteringByteChannel in, int length) throws IOException {
        checkIndex(index, length);
        try {
            return in.read(readView(index, length));
        } catch (ClosedChannelException e) {
            return -1;
        }
    }

    @Override
    public int setBytes(int index, FileChannel in, long position, int length) throws IOException {
        checkIndex(index, length);
        try {
            return in.read(readView(index, length), position);
        } catch (ClosedChannelException e) {
            return -1;
        }
    }

    // ---- NIO views: raw memory, as Netty's direct buffers hand out ----

    @Override
    public int nioBufferCount() {
        return 1;
    }

    @Override
    public ByteBuffer nioBuffer(int index, int length) {
        checkIndex(index, length);
        return memory.slice(index, length);
    }

    @Override
    public ByteBuffer[] nioBuffers(int index, int length) {
        return new ByteBuffer[] {nioBuffer(index, length)};
    }

    @Override
    public ByteBuffer internalNioBuffer(int index, int length) {
        checkIndex(index, length);
        return ioView(index, length);
    }

    /**
     * A buffer for a channel to read {@code [index, index + length)} into. A read that fills the
     * buffer to the end of the lease (what Netty's read loop does) goes into the lease's own view
     * at no cost: a channel read moves only its position, which absolute access ignores. Any other
     * window gets the I/O view, whose limit may move.
     */
    private ByteBuffer readView(int index, int length) {
        ByteBuffer m = memory;
        if (index + length == m.limit()) {
            m.position(index);
            return m;
        }
        return ioView(index, length);
    }

    private ByteBuffer ioView(int index, int length) {
        ByteBuffer v = ioView;
        if (v == null) {
            v = memory.duplicate();
            ioView = v;
        }
        v.limit(index + length).position(index);
        return v;
    }

    @Override
    public String toString() {
        if (refCnt() == 0) {
            return "MemkitDirectByteBuf(freed)";
        }
        return "MemkitDirectByteBuf(ridx: " + readerIndex() + ", widx: " + writerIndex() + ", cap: "
                + capacity + '/' + maxCapacity() + ')';
    }
}
