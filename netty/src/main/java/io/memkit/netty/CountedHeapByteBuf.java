package io.memkit.netty;

import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * Netty's unpooled heap buffer, counting its array in its allocator's
 * {@code usedHeapMemory()}: each array it allocates is added, each it frees (on growth or on the
 * last release) is subtracted. Thread-safety as any {@code ByteBuf}.
 */
final class CountedHeapByteBuf extends UnpooledHeapByteBuf {

    CountedHeapByteBuf(MemkitByteBufAllocator alloc, int initialCapacity, int maxCapacity) {
        super(alloc, initialCapacity, maxCapacity);
    }

    @Override
    protected byte[] allocateArray(int initialCapacity) {
        byte[] array = super.allocateArray(initialCapacity);
        counter().heapAdded(array.length);
        return array;
    }

    @Override
    protected void freeArray(byte[] array) {
        counter().heapAdded(-array.length);
        super.freeArray(array);
    }

    /** The allocator; through {@code alloc()}, as the superclass constructor allocates the first array. */
    private MemkitByteBufAllocator counter() {
        return (MemkitByteBufAllocator) alloc();
    }
}
