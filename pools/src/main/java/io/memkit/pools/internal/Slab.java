package io.memkit.pools.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code ByteBuffer.allocateDirect} region carved into equal blocks of one size class, or
 * holding one dedicated (unpooled) block.
 *
 * <p>The pool reserves {@link #bytes} of its budget before allocating a slab and gives them back
 * when it drops the slab (trim, close); the JVM frees the memory when the collector finds the
 * buffer unreachable.
 */
final class Slab {

    /** The memory; only the pool and Slice owners see it, users get views of their block. */
    final ByteBuffer memory;
    /** The size class, or -1 for a dedicated block. */
    final int sizeClass;
    final int blockSize;
    final int blockCount;
    /** Bytes reserved: {@code blockSize * blockCount}. */
    final long bytes;
    /** Blocks carved so far; guarded by the arena's lock (dedicated slabs: always 1). */
    int carved;
    /** Idle blocks counted during a trim or close; guarded by the pool's maintenance lock. */
    int idleMark;
    /**
     * After the pool closed: minus the blocks returned so far plus (once the close has counted
     * them) the blocks that were out; the slab is dropped when it reaches 0 from either side.
     */
    final AtomicInteger closeBalance = new AtomicInteger();

    Slab(ByteBuffer memory, int sizeClass, int blockSize, int blockCount) {
        this.memory = memory;
        this.sizeClass = sizeClass;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.bytes = (long) blockSize * blockCount;
    }
}
