package io.memkit.netty;

import io.memkit.pools.PooledBuffer;
import io.memkit.pools.internal.LeaseMemory;
import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.internal.ObjectUtil;
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
 * A direct {@code ByteBuf} over one {@link PooledBuffer} lease, given back to the pool on the last
 * {@code release()}.
 *
 * <p>One object per allocation, never recycled: it counts its own references (no separate counter
 * object) and reads and writes the lease's block in the slab's shared buffer at an offset, so it
 * holds neither the lease handle nor a {@code ByteBuffer} view of its own. Once released it stays
 * released, so every later use of it or of a buffer derived from it (derived buffers delegate to
 * it) throws {@link IllegalReferenceCountException}, and a stale {@code release()} throws and frees
 * nothing, whoever holds the memory now.
 *
 * <p>Reads load the bytes and then check the reference count again (behind a LoadLoad fence), so a
 * read racing with the last release on another thread returns this buffer's bytes or throws,
 * never bytes a later owner of the memory wrote: the count drops to 0 before the memory goes back
 * to the pool. Raw views ({@link #nioBuffer}, {@link #internalNioBuffer}, {@link #memoryAddress})
 * cannot be checked, exactly as with Netty's own direct buffers; writes check the reference count
 * first, as every Netty buffer does. Every access is bounds-checked twice: against
 * {@link #capacity()} by Netty's {@code AbstractByteBuf}, and against the slab by the JDK's buffer.
 *
 * <p>{@link #capacity()} is what was asked for. Growth beyond the lease takes a larger lease, copies
 * and closes the old one; shrinking keeps the lease. Not thread-safe for writes and capacity changes
 * (as every {@code ByteBuf}); reads from several threads are safe while the buffer is live and its
 * capacity does not change.
 */
final class LeasedDirectByteBuf extends AbstractByteBuf {

    private static final VarHandle REF_CNT;

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
            REF_CNT = MethodHandles.lookup().findVarHandle(LeasedDirectByteBuf.class, "refCnt", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemkitByteBufAllocator alloc;
    /** Netty's reference count; 0 once released, and then forever. Set to 1 plainly at construction. */
    private volatile int refCnt;
    /**
     * The buffer holding the lease's bytes at {@link #offset}: the slab's, shared with every other
     * lease of the slab and every thread, so only absolute access, never a position or limit move.
     */
    private ByteBuffer memory;
    /** Where the lease's bytes start in {@link #memory}. */
    private int offset;
    /** The capacity the user sees: at most {@link #leaseCapacity}. */
    private int capacity;
    /** The lease's capacity, the bytes counted in the allocator's metric. */
    private int leaseCapacity;
    /**
     * The lease's lifetime without its handle (see {@link LeaseMemory}); for a tracked lease what
     * leak detection watches, so it is reachable exactly as long as this buffer.
     */
    private Object token;
    private long stamp;
    /** A view of the lease for channel I/O, whose position and limit move; made on first use. */
    private ByteBuffer ioView;

    LeasedDirectByteBuf(MemkitByteBufAllocator alloc, PooledBuffer lease, int maxCapacity) {
        super(maxCapacity);
        // A plain store, as Netty's own buffers start their count: a buffer reaches other threads
        // only through a handoff that publishes it (a queue, a channel), never by a data race.
        REF_CNT.set(this, 1);
        this.alloc = alloc;
        this.capacity = lease.capacity();
        hold(lease);
    }

    /** Takes over {@code lease}: its memory and lifetime; the handle itself is not kept. */
    private void hold(PooledBuffer lease) {
        memory = LeaseMemory.memory(lease);
        offset = LeaseMemory.offset(lease);
        leaseCapacity = lease.capacity();
        token = LeaseMemory.token(lease);
        stamp = LeaseMemory.stamp(lease);
    }

    // ---- reference counting: on this object, never recycled ----

    @Override
    public int refCnt() {
        return refCnt;
    }

    @Override
    public ByteBuf retain() {
        return retain0(1);
    }

    @Override
    public ByteBuf retain(int increment) {
        return retain0(ObjectUtil.checkPositive(increment, "increment"));
    }

    private ByteBuf retain0(int increment) {
        for (;;) {
            int r = refCnt;
            int next = r + increment;
            if (r == 0 || next <= 0) {
                throw new IllegalReferenceCountException(r, increment);
            }
            if (REF_CNT.compareAndSet(this, r, next)) {
                return this;
            }
        }
    }

    @Override
    public boolean release() {
        return release0(1);
    }

    @Override
    public boolean release(int decrement) {
        return release0(ObjectUtil.checkPositive(decrement, "decrement"));
    }

    private boolean release0(int decrement) {
        if (decrement == 1 && REF_CNT.compareAndSet(this, 1, 0)) {
            // The common case, one CAS: the only owner lets go. A CAS even here, so that of two
            // racing last releases exactly one frees and the other throws Netty's exception.
            alloc.leaseEnded(token, stamp, leaseCapacity);
            return true;
        }
        for (;;) {
            int r = refCnt;
            if (r < decrement) {
                throw new IllegalReferenceCountException(r, -decrement);
            }
            if (REF_CNT.compareAndSet(this, r, r - decrement)) {
                if (r == decrement) {
                    alloc.leaseEnded(token, stamp, leaseCapacity);
                    return true;
                }
                return false;
            }
        }
    }

    @Override
    public ByteBuf touch() {
        return this;
    }

    @Override
    public ByteBuf touch(Object hint) {
        return this;
    }

    // ---- reads: load, fence, re-check the reference count ----

    private void checkAfterRead() {
        VarHandle.loadLoadFence();
        if (refCnt == 0) {
            throw staleRead();
        }
    }

    private IllegalReferenceCountException staleRead() {
        return new IllegalReferenceCountException("a read raced with the last release of a "
                + capacity + "-byte buffer of " + alloc + "; its memory may belong to another buffer now");
    }

    @Override
    protected byte _getByte(int index) {
        byte v = memory.get(offset + index);
        checkAfterRead();
        return v;
    }

    @Override
    protected short _getShort(int index) {
        short v = memory.getShort(offset + index);
        checkAfterRead();
        return v;
    }

    @Override
    protected short _getShortLE(int index) {
        return Short.reverseBytes(_getShort(index));
    }

    @Override
    protected int _getUnsignedMedium(int index) {
        ByteBuffer m = memory;
        int i = offset + index;
        int v = (m.get(i) & 0xff) << 16 | (m.getShort(i + 1) & 0xffff);
        checkAfterRead();
        return v;
    }

    @Override
    protected int _getUnsignedMediumLE(int index) {
        ByteBuffer m = memory;
        int i = offset + index;
        int v = (m.get(i) & 0xff) | (Short.reverseBytes(m.getShort(i + 1)) & 0xffff) << 8;
        checkAfterRead();
        return v;
    }

    @Override
    protected int _getInt(int index) {
        int v = memory.getInt(offset + index);
        checkAfterRead();
        return v;
    }

    @Override
    protected int _getIntLE(int index) {
        return Integer.reverseBytes(_getInt(index));
    }

    @Override
    protected long _getLong(int index) {
        long v = memory.getLong(offset + index);
        checkAfterRead();
        return v;
    }

    @Override
    protected long _getLongLE(int index) {
        return Long.reverseBytes(_getLong(index));
    }

    // ---- writes: AbstractByteBuf has checked the index and the reference count ----

    @Override
    protected void _setByte(int index, int value) {
        memory.put(offset + index, (byte) value);
    }

    @Override
    protected void _setShort(int index, int value) {
        memory.putShort(offset + index, (short) value);
    }

    @Override
    protected void _setShortLE(int index, int value) {
        memory.putShort(offset + index, Short.reverseBytes((short) value));
    }

    @Override
    protected void _setMedium(int index, int value) {
        ByteBuffer m = memory;
        int i = offset + index;
        m.put(i, (byte) (value >>> 16));
        m.putShort(i + 1, (short) value);
    }

    @Override
    protected void _setMediumLE(int index, int value) {
        ByteBuffer m = memory;
        int i = offset + index;
        m.put(i, (byte) value);
        m.putShort(i + 1, Short.reverseBytes((short) (value >>> 8)));
    }

    @Override
    protected void _setInt(int index, int value) {
        memory.putInt(offset + index, value);
    }

    @Override
    protected void _setIntLE(int index, int value) {
        memory.putInt(offset + index, Integer.reverseBytes(value));
    }

    @Override
    protected void _setLong(int index, long value) {
        memory.putLong(offset + index, value);
    }

    @Override
    protected void _setLongLE(int index, long value) {
        memory.putLong(offset + index, Long.reverseBytes(value));
    }

    // ---- capacity ----

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        checkNewCapacity(newCapacity);
        if (newCapacity <= leaseCapacity) {
            if (newCapacity < capacity) {
                trimIndicesToCapacity(newCapacity);
            }
            capacity = newCapacity;
            return this;
        }
        PooledBuffer grown = alloc.acquireLease(newCapacity);
        LeaseMemory.memory(grown).put(LeaseMemory.offset(grown), memory, offset, capacity);
        Object oldToken = token;
        long oldStamp = stamp;
        int oldCapacity = leaseCapacity;
        hold(grown);
        ioView = null;
        capacity = newCapacity;
        alloc.leaseEnded(oldToken, oldStamp, oldCapacity);
        return this;
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
        LeaseMemory.markEscaped(token);
        return addressOf(memory) + offset;
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
        memory.get(offset + index, dst, dstIndex, length);
        checkAfterRead();
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuffer dst) {
        int length = dst.remaining();
        checkIndex(index, length);
        int p = dst.position();
        dst.put(p, memory, offset + index, length);
        checkAfterRead();
        dst.position(p + length);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuf dst, int dstIndex, int length) {
        checkDstIndex(index, length, dstIndex, dst.capacity());
        if (dst instanceof LeasedDirectByteBuf) {
            // Buffer to buffer of this allocator: one copy, no NIO views.
            LeasedDirectByteBuf d = (LeasedDirectByteBuf) dst;
            d.checkIndex(dstIndex, length);
            d.memory.put(d.offset + dstIndex, memory, offset + index, length);
            checkAfterRead();
        } else if (dst.hasArray()) {
            getBytes(index, dst.array(), dst.arrayOffset() + dstIndex, length);
        } else if (dst.nioBufferCount() == 1) {
            // The destination's own I/O buffer, no view made per call: whoever writes into a buffer
            // owns it, so no channel is writing from that buffer now.
            ByteBuffer part = dst.internalNioBuffer(dstIndex, length);
            part.put(part.position(), memory, offset + index, length);
            checkAfterRead();
        } else if (dst.nioBufferCount() > 0) {
            int i = offset + index;
            for (ByteBuffer part : dst.nioBuffers(dstIndex, length)) {
                int n = part.remaining();
                part.put(part.position(), memory, i, n);
                i += n;
            }
            checkAfterRead();
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

    /**
     * A view made per call, so that reads from several threads stay safe; {@link #readBytes(
     * GatheringByteChannel, int)} (a write to this buffer's state anyway) uses the I/O view.
     */
    @Override
    public int getBytes(int index, GatheringByteChannel out, int length) throws IOException {
        checkIndex(index, length);
        if (length == 0) {
            return 0;
        }
        return out.write(memory.slice(offset + index, length));
    }

    @Override
    public int getBytes(int index, FileChannel out, long position, int length) throws IOException {
        checkIndex(index, length);
        if (length == 0) {
            return 0;
        }
        return out.write(memory.slice(offset + index, length), position);
    }

    @Override
    public int readBytes(GatheringByteChannel out, int length) throws IOException {
        checkReadableBytes(length);
        if (length == 0) {
            return 0;
        }
        int r = readerIndex();
        int n = out.write(ioView(r, length));
        readerIndex(r + n);
        return n;
    }

    @Override
    public int readBytes(FileChannel out, long position, int length) throws IOException {
        checkReadableBytes(length);
        if (length == 0) {
            return 0;
        }
        int r = readerIndex();
        int n = out.write(ioView(r, length), position);
        readerIndex(r + n);
        return n;
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
        memory.put(offset + index, src, srcIndex, length);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuffer src) {
        int length = src.remaining();
        checkIndex(index, length);
        int p = src.position();
        memory.put(offset + index, src, p, length);
        src.position(p + length);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuf src, int srcIndex, int length) {
        checkSrcIndex(index, length, srcIndex, src.capacity());
        if (src instanceof LeasedDirectByteBuf) {
            src.getBytes(srcIndex, this, index, length);
        } else if (src.hasArray()) {
            setBytes(index, src.array(), src.arrayOffset() + srcIndex, length);
        } else if (src.nioBufferCount() > 0) {
            // Fresh views, not the source's internal one: a channel may be writing from that.
            int i = offset + index;
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
            memory.put(offset + index, tmp, 0, n);
        }
        return n;
    }

    @Override
    public int setBytes(int index, ScatteringByteChannel in, int length) throws IOException {
        checkIndex(index, length);
        try {
            return in.read(ioView(index, length));
        } catch (ClosedChannelException e) {
            return -1;
        }
    }

    @Override
    public int setBytes(int index, FileChannel in, long position, int length) throws IOException {
        checkIndex(index, length);
        try {
            return in.read(ioView(index, length), position);
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
        LeaseMemory.markEscaped(token);
        return memory.slice(offset + index, length);
    }

    @Override
    public ByteBuffer[] nioBuffers(int index, int length) {
        return new ByteBuffer[] {nioBuffer(index, length)};
    }

    @Override
    public ByteBuffer internalNioBuffer(int index, int length) {
        checkIndex(index, length);
        LeaseMemory.markEscaped(token);
        return ioView(index, length);
    }

    /**
     * The I/O view over {@code [index, index + length)}: one per buffer (per lease), made on first
     * use, as Netty's own buffers keep one; channel reads and writes move its position.
     */
    private ByteBuffer ioView(int index, int length) {
        ByteBuffer v = ioView;
        if (v == null) {
            v = LeaseMemory.ioView(token, memory, offset, leaseCapacity);
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
