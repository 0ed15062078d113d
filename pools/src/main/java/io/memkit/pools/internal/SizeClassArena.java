package io.memkit.pools.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;

/**
 * The shared layers of one size class, behind the striped magazines: the depot of full and empty
 * magazines (lock-free MPMC queues, Bonwick and Adams' depot layer), and the slabs with a free list
 * of blocks that did not fit the depot (under a {@link ReentrantLock}, never {@code synchronized}, so
 * virtual threads waiting on it unmount).
 */
final class SizeClassArena {
    /** Full magazines (arrays of {@code half} blocks) in the depot, at most. */
    static final int DEPOT_MAGAZINES = 16;

    final int sizeClass;
    final int blockSize;
    final int half;
    /** Full magazines: arrays of exactly {@code half} idle blocks. */
    final MpmcVarHandleArrayQueue<Block[]> depot = new MpmcVarHandleArrayQueue<>(DEPOT_MAGAZINES);
    /** Empty magazine arrays for reuse, so that moving blocks to the depot allocates nothing. */
    final MpmcVarHandleArrayQueue<Block[]> empties = new MpmcVarHandleArrayQueue<>(DEPOT_MAGAZINES);
    final ReentrantLock lock = new ReentrantLock();
    /** Idle blocks outside the magazines and depot; guarded by lock. */
    final ArrayDeque<Block> free = new ArrayDeque<>();
    /** Slabs of this class that the pool holds; guarded by lock. */
    final ArrayList<Slab> slabs = new ArrayList<>();
    /** The slab blocks are carved from, or null; guarded by lock. */
    Slab current;

    SizeClassArena(int sizeClass) {
        this.sizeClass = sizeClass;
        this.blockSize = SizeClasses.blockSize(sizeClass);
        this.half = SizeClasses.magazineHalf(blockSize);
    }
}
