package io.memkit.pools.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One region of native memory ({@link SlabMemory}) carved into equal blocks of one size class, or
 * holding one dedicated (unpooled) block.
 *
 * <p>The pool reserves {@link #bytes} of its budget before allocating a slab, and when it drops the
 * slab (trim, close, a dedicated block's release) {@link MemoryBudget#free(Slab)} gives them back
 * and frees the region: at once on JDK 22+, at the next GC that finds it unreachable before.
 */
final class Slab {

    /** The region, freed once when the pool drops the slab. */
    final SlabMemory region;
    /** The region's buffer; only the pool and Slice owners see it, users get views of their block. */
    final ByteBuffer memory;
    /** The size class, or -1 for a dedicated block. */
    final int sizeClass;
    final int blockSize;
    final int blockCount;
    /** Bytes reserved: the region's size, at least {@code blockSize * blockCount} (a re-carved region may be larger). */
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

    Slab(SlabMemory region, int sizeClass, int blockSize, int blockCount) {
        this.region = region;
        this.memory = region.buffer();
        this.sizeClass = sizeClass;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.bytes = memory.capacity();
    }
}
