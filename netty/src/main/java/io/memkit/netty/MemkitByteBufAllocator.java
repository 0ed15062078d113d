package io.memkit.netty;

import io.memkit.meter.internal.StripedCounters;
import io.memkit.pools.BufferPool;
import io.memkit.pools.PoolExhaustedException;
import io.memkit.pools.PooledBuffer;
import io.memkit.pools.internal.LeaseMemory;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.util.Objects;

/**
 * A Netty {@code ByteBufAllocator} whose direct buffers are leases of a memkit {@link BufferPool}:
 * swap it in with {@code bootstrap.option(ChannelOption.ALLOCATOR, MemkitByteBufAllocator.DEFAULT)}
 * (and {@code childOption} on a server).
 *
 * <p><b>Direct buffers.</b> Each {@code directBuffer(initial, max)} leases {@code initial} bytes
 * from the pool; {@code capacity()} and {@code maxCapacity()} are exactly what was asked for (the
 * pool's block behind may be up to 12.5% larger, and is not reachable). Growth beyond the lease
 * takes a larger lease, copies the bytes and gives the old lease back. The last {@code release()}
 * gives the memory back to the pool. Buffer objects are never recycled: after the last release the
 * buffer and every buffer derived from it ({@code slice}, {@code duplicate}, {@code retainedSlice},
 * {@code readRetainedSlice}, ...) throw {@link io.netty.util.IllegalReferenceCountException} on
 * every access, and a stale {@code release()} throws it too and frees nothing, even once the
 * memory belongs to another buffer. A read racing with the last release on another thread throws
 * rather than return bytes of the memory's next owner. {@code nioBuffer(s)}, {@code
 * internalNioBuffer} and {@code memoryAddress()} (present wherever Netty's own direct buffers have
 * one) are raw views of the memory and are not checked, as with every Netty direct buffer.
 *
 * <p><b>Heap buffers</b> are Netty's unpooled heap buffers, counted in {@link #metric()}.
 *
 * <p><b>Exhaustion.</b> When the pool's {@code maxBytes} would be exceeded, allocation throws the
 * pool's {@link PoolExhaustedException} (a {@code RuntimeException} naming the pool, the request,
 * the cap and what is in use), not an {@code OutOfMemoryError}: the JVM is not out of memory and
 * the condition passes once buffers are released. Netty treats it as any failure of a handler or
 * of a read: the channel's read loop catches it and fires it through {@code exceptionCaught},
 * nothing leaks, and the connection stays open.
 *
 * <p><b>Leak detection.</b> Every direct and composite buffer goes through Netty's
 * {@code ResourceLeakDetector} (as with Netty's own allocators: sampled at the
 * {@code io.netty.leakDetection.level}), and its lease through the pool's own leak detection
 * (sampled at the pool's {@code LeakDetection} level). A buffer collected unreleased can thus be
 * reported twice: by Netty ("LEAK: ByteBuf.release() was not called", with its access records)
 * and by memkit (a {@code LeakReport} with the acquiring stack, counted in the pool's
 * {@code leaksDetected}). memkit reuses the memory of a leaked buffer only if no raw view of it
 * ever left the buffer ({@code nioBuffer(s)}, {@code internalNioBuffer}, {@code memoryAddress}, on
 * the buffer or on one derived from it); otherwise it quarantines the memory, which stays counted
 * against {@code maxBytes}, since such a view could still read and write it.
 *
 * <p><b>Thread-safety.</b> Thread-safe, with no thread-local caches: any thread, platform or
 * virtual, allocates from the pool's striped magazines, and any thread may release any buffer.
 * Buffers themselves follow Netty's rules (one writer at a time).
 */
public final class MemkitByteBufAllocator extends AbstractByteBufAllocator
        implements ByteBufAllocatorMetricProvider {

    /** The allocator over {@link BufferPool#shared()}, preferring direct buffers. */
    public static final MemkitByteBufAllocator DEFAULT = new MemkitByteBufAllocator(BufferPool.shared());

    private static final int DIRECT = 0;
    private static final int HEAP = 1;

    private final BufferPool pool;
    private final boolean preferDirect;
    private final StripedCounters used = new StripedCounters(2);
    private final ByteBufAllocatorMetric metric = new ByteBufAllocatorMetric() {
        @Override
        public long usedHeapMemory() {
            return used.sum(HEAP);
        }

        @Override
        public long usedDirectMemory() {
            return used.sum(DIRECT);
        }

        @Override
        public String toString() {
            return "MemkitByteBufAllocatorMetric(usedDirectMemory: " + usedDirectMemory()
                    + "; usedHeapMemory: " + usedHeapMemory() + ')';
        }
    };

    /**
     * An allocator over {@code pool} whose {@code buffer()} and {@code ioBuffer()} are direct.
     *
     * @param pool the pool that direct buffers lease their memory from
     * @throws NullPointerException if {@code pool} is {@code null}
     */
    public MemkitByteBufAllocator(BufferPool pool) {
        this(pool, true);
    }

    /**
     * An allocator over {@code pool}.
     *
     * @param pool         the pool that direct buffers lease their memory from
     * @param preferDirect whether {@code buffer()} returns direct buffers ({@code ioBuffer()} is
     *                     direct either way, as with Netty's allocators)
     * @throws NullPointerException if {@code pool} is {@code null}
     */
    public MemkitByteBufAllocator(BufferPool pool, boolean preferDirect) {
        super(preferDirect);
        this.pool = Objects.requireNonNull(pool, "pool must not be null");
        this.preferDirect = preferDirect;
    }

    /**
     * The pool that direct buffers lease their memory from.
     *
     * @return the pool given at construction
     */
    public BufferPool pool() {
        return pool;
    }

    /**
     * {@inheritDoc}
     *
     * @return {@code true}: direct buffers are pooled memory
     */
    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    /**
     * The bytes in use by this allocator's live buffers: the capacities of their leases (direct)
     * and of their arrays (heap); 0 once all are released. Each read sums striped counters, O(cores).
     *
     * @return the metric view, the same object on every call
     */
    @Override
    public ByteBufAllocatorMetric metric() {
        return metric;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return toLeakAwareBuffer(new LeasedDirectByteBuf(this, acquireLease(initialCapacity), maxCapacity));
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return new CountedHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    /** Leases memory for a direct buffer and counts it. */
    PooledBuffer acquireLease(int capacity) {
        PooledBuffer lease = pool.acquire(capacity);
        used.add(DIRECT, capacity);
        return lease;
    }

    /** Gives back a direct buffer's lease, held without its handle (see {@code LeaseMemory}), and uncounts it. */
    void leaseEnded(Object token, long stamp, int capacity) {
        LeaseMemory.close(token, stamp, capacity);
        used.add(DIRECT, -capacity);
    }

    /** Counts heap memory taken ({@code bytes > 0}) or given back ({@code bytes < 0}). */
    void heapAdded(long bytes) {
        used.add(HEAP, bytes);
    }

    @Override
    public String toString() {
        return "MemkitByteBufAllocator(pool: " + pool.name() + ", preferDirect: " + preferDirect + ')';
    }
}
