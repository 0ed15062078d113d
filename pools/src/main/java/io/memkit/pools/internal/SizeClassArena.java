package io.memkit.pools.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;

/**
 * The shared layers of one size class, behind the {@link MagazineCache}: the depot of full and
 * empty magazines (lock-free MPMC queues, Bonwick and Adams' depot layer), and the slabs of the
 * class with a free list of idle blocks that did not fit the depot. It takes idle blocks, carves
 * new ones from slabs it reserves in the {@link MemoryBudget} (or re-carves from the budget's
 * spare regions), takes blocks back, and sweeps: drops the slabs whose blocks are all idle, and
 * parks their regions for re-carving or gives their bytes back to the budget. Its decay step does
 * the same for the slabs whose blocks all stayed idle for two decay periods.
 *
 * <p>Invariants, under {@link #lock} (a {@link ReentrantLock}, never {@code synchronized}, so
 * virtual threads waiting on it unmount): every slab the arena reserved is in {@link #slabs} until a
 * sweep drops it; a block is idle in at most one place (a magazine, the depot, the free list); a
 * slab's bytes go back to the budget exactly once (by a sweep if all its blocks are idle, else, once
 * the pool is closed, when its last block comes back). Thread-safe.
 */
final class SizeClassArena {
    /** Full magazines (arrays of {@code half} blocks) in the depot, at most. */
    static final int DEPOT_MAGAZINES = 16;

    final int sizeClass;
    final int blockSize;
    private final int half;
    private final DirectBufferPool pool;
    private final MemoryBudget budget;
    /** Full magazines: arrays of exactly {@code half} idle blocks. */
    private final MpmcVarHandleArrayQueue<Block[]> depot = new MpmcVarHandleArrayQueue<>(DEPOT_MAGAZINES);
    /** Empty magazine arrays for reuse, so that moving blocks to the depot allocates nothing. */
    private final MpmcVarHandleArrayQueue<Block[]> empties = new MpmcVarHandleArrayQueue<>(DEPOT_MAGAZINES);
    private final ReentrantLock lock = new ReentrantLock();
    /** Idle blocks outside the magazines and depot; guarded by lock. */
    private final ArrayDeque<Block> free = new ArrayDeque<>();
    /** Slabs of this class that the pool holds; guarded by lock. */
    private final ArrayList<Slab> slabs = new ArrayList<>();
    /** The slab blocks are carved from, or null; guarded by lock. */
    private Slab current;
    /**
     * The free list's low watermarks, for decay: the fewest blocks it held since the last decay
     * step and in the period before. Blocks are added and taken at the tail, so the ones at the
     * head below both marks stayed untouched for two periods. Guarded by lock.
     */
    private int freeLow;
    private int freeLowBefore;
    /**
     * Full magazines put into or taken from the depot so far, for decay, which only asks whether
     * it changed: racing increments may lose counts, never all of them.
     */
    private volatile int depotMoves;
    /** {@link #depotMoves} at the last two decay steps (-1: none yet); read and written by decay only. */
    private int depotMovesAtLastStep = -1;
    private int depotMovesAtStepBefore = -1;

    SizeClassArena(int sizeClass, DirectBufferPool pool, MemoryBudget budget) {
        this.sizeClass = sizeClass;
        this.blockSize = SizeClasses.blockSize(sizeClass);
        this.half = SizeClasses.magazineHalf(blockSize);
        this.pool = pool;
        this.budget = budget;
    }

    // ------------------------------------------------------------------ depot (lock-free)

    /**
     * Takes a full magazine from the depot.
     *
     * @return an array of {@code half} idle blocks, or null
     */
    Block[] pollFullMagazine() {
        Block[] full = depot.poll();
        if (full != null) {
            depotMoves++;
        }
        return full;
    }

    /**
     * Offers a full magazine to the depot.
     *
     * @param full an array of {@code half} idle blocks
     * @return {@code false} if the depot is full (the caller keeps the blocks)
     */
    boolean offerFullMagazine(Block[] full) {
        depotMoves++;
        return depot.offer(full);
    }

    /**
     * An empty magazine array to fill: a recycled one, else a new one.
     *
     * @return an array of {@code half} nulls
     */
    Block[] emptyMagazine() {
        Block[] out = empties.poll();
        return out != null ? out : new Block[half];
    }

    /**
     * Keeps an emptied magazine array for reuse (dropped if there are enough).
     *
     * @param emptied an array of nulls
     */
    void recycleEmptyMagazine(Block[] emptied) {
        empties.offer(emptied);
    }

    // ------------------------------------------------------------------ blocks (under the lock)

    /**
     * An idle block from the free list or a depot magazine (the rest of which goes to the free list).
     *
     * @return the block, now the caller's, or null if none is idle here
     * @throws IllegalStateException if the pool is closed
     */
    Block takeIdle() {
        lock.lock();
        try {
            pool.ensureOpen();
            Block b = free.pollLast();
            if (b != null && free.size() < freeLow) {
                freeLow = free.size();
            }
            if (b == null) {
                Block[] full = depot.poll();
                if (full != null) {
                    depotMoves++;
                    for (int i = 1; i < full.length; i++) {
                        free.addLast(full[i]);
                    }
                    b = full[0];
                    Arrays.fill(full, null);
                    empties.offer(full);
                }
            }
            return b;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A new block from the current slab, else from a spare region the budget holds (re-carved for
     * this class), else from a new slab of up to {@code slabBlocks} blocks, as many as the budget
     * allows.
     *
     * @param slabBlocks the most blocks a new slab may have, {@code >= 1}
     * @return the block, now the caller's, or null if the budget has no room for even one block
     * @throws IllegalStateException if the pool is closed
     * @throws OutOfMemoryError      if the JVM refuses the memory (the reservation is given back)
     */
    Block carve(int slabBlocks) {
        lock.lock();
        try {
            pool.ensureOpen();
            Slab s = current;
            if (s == null || s.carved == s.blockCount) {
                SlabMemory spare = budget.takeSpare(blockSize);
                if (spare != null) {
                    s = new Slab(spare, sizeClass, blockSize, spare.buffer().capacity() / blockSize);
                } else {
                    int blocks = budget.reserveUpTo(blockSize, slabBlocks);
                    if (blocks == 0) {
                        return null;
                    }
                    s = new Slab(budget.allocate((long) blocks * blockSize), sizeClass, blockSize, blocks);
                }
                current = s;
                slabs.add(s);
            }
            Block b = new Block(pool, s, s.carved * blockSize);
            s.carved++;
            return b;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes back a block no cache took; after close, counts it towards dropping its slab.
     *
     * @param b an idle block of this class
     */
    void giveBack(Block b) {
        lock.lock();
        try {
            if (pool.isClosed()) {
                dropAfterClose(b);
            } else {
                free.addLast(b);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes back the blocks of a magazine spilled while the depot was full, and keeps the array.
     *
     * @param blocks idle blocks of this class; emptied by this call
     */
    void takeBack(Block[] blocks) {
        lock.lock();
        try {
            boolean closed = pool.isClosed();
            for (Block b : blocks) {
                if (closed) {
                    dropAfterClose(b);
                } else {
                    free.addLast(b);
                }
            }
        } finally {
            lock.unlock();
        }
        Arrays.fill(blocks, null);
        empties.offer(blocks);
    }

    /** A block came back after close: its slab is dropped once all its blocks are back. */
    private void dropAfterClose(Block b) {
        if (b.slab.closeBalance.decrementAndGet() == 0) {
            budget.free(b.slab);
        }
    }

    // ------------------------------------------------------------------ sweep

    /** What a sweep does with the slabs whose blocks are all idle. */
    enum Sweep {
        /** Park their regions in the budget for re-carving: making room at the cap. */
        PARK,
        /** Free them: trim. */
        FREE,
        /** Free them, and drop every other slab once its last lease returns: close. */
        CLOSE
    }

    /**
     * Under the pool's maintenance lock: gathers the depot's and free list's blocks with
     * {@code idle} (the class's blocks drained from the caches) and drops the slabs whose carved
     * blocks are all idle, parking or freeing them. Blocks of the other slabs go back to the free
     * list, or, when closing, are dropped and their slabs dropped once their last lease returns.
     * Blocks in transit between layers are not seen, which only keeps their slab: never unsafe.
     *
     * @param idle the class's blocks drained from the caches
     * @param mode what to do with wholly idle slabs
     * @return bytes of the slabs dropped
     */
    long sweep(List<Block> idle, Sweep mode) {
        boolean closing = mode == Sweep.CLOSE;
        drainDepotTo(idle);
        lock.lock();
        try {
            idle.addAll(free);
            free.clear();
            // Every block was just moved: none counts as cold until two decay periods pass.
            freeLow = 0;
            freeLowBefore = 0;
            long freed = dropSlabsAllIn(idle, mode);
            if (!closing) {
                for (Block b : idle) {
                    if (b.slab.idleMark != b.slab.carved) {
                        free.addLast(b);
                    }
                }
            }
            clearMarks(idle);
            return freed;
        } finally {
            lock.unlock();
        }
    }

    /** Moves every full magazine of the depot into {@code into}, keeping the emptied arrays. */
    private void drainDepotTo(List<Block> into) {
        for (Block[] full; (full = depot.poll()) != null; ) {
            into.addAll(Arrays.asList(full));
            Arrays.fill(full, null);
            empties.offer(full);
        }
    }

    /**
     * Under the lock: marks each slab with how many of its blocks are in {@code idle} and drops the
     * slabs all of whose carved blocks are (parked or freed as {@code mode} says; when closing,
     * every other slab too, freed once its last lease returns). The marks stay set, so that the
     * caller can tell the blocks of slabs that stay ({@code idleMark != carved}); then
     * {@link #clearMarks}.
     *
     * @return bytes of the slabs dropped
     */
    private long dropSlabsAllIn(List<Block> idle, Sweep mode) {
        boolean closing = mode == Sweep.CLOSE;
        for (Block b : idle) {
            b.slab.idleMark++;
        }
        long freed = 0;
        for (int i = slabs.size() - 1; i >= 0; i--) {
            Slab s = slabs.get(i);
            boolean allIdle = s.idleMark == s.carved;
            if (allIdle || closing) {
                slabs.remove(i);
                if (current == s) {
                    current = null;
                }
            }
            if (allIdle) {
                if (mode == Sweep.PARK) {
                    budget.park(s);
                } else {
                    budget.free(s);
                }
                freed += s.bytes;
            } else if (closing && s.closeBalance.addAndGet(s.carved - s.idleMark) == 0) {
                // Every lease out at close has returned already.
                budget.free(s);
                freed += s.bytes;
            }
        }
        return freed;
    }

    private static void clearMarks(List<Block> blocks) {
        for (Block b : blocks) {
            b.slab.idleMark = 0;
        }
    }

    /**
     * Decay step, under the pool's maintenance lock: adds to {@code cold} (the class's blocks that
     * stayed untouched in the caches for the last two decay periods) the depot's magazines if none
     * was put in or taken out for two periods and the free list's blocks below both its low watermarks; frees the
     * slabs whose carved blocks are all among them; and puts the other cold blocks back at the
     * free list's head, where they stay counted as untouched.
     *
     * @param cold the class's cold blocks from the caches
     * @return bytes given back to the budget
     */
    long decay(List<Block> cold) {
        int moves = depotMoves;
        if (moves == depotMovesAtStepBefore) {
            drainDepotTo(cold);
        }
        depotMovesAtStepBefore = depotMovesAtLastStep;
        depotMovesAtLastStep = moves;
        lock.lock();
        try {
            int fromFree = Math.min(Math.min(freeLow, freeLowBefore), free.size());
            for (int i = 0; i < fromFree; i++) {
                cold.add(free.pollFirst());
            }
            long freed = dropSlabsAllIn(cold, Sweep.FREE);
            int kept = 0;
            for (int i = cold.size() - 1; i >= 0; i--) {
                Block b = cold.get(i);
                if (b.slab.idleMark != b.slab.carved) {
                    free.addFirst(b);
                    kept++;
                }
            }
            clearMarks(cold);
            freeLowBefore = Math.max(0, freeLow - fromFree) + kept;
            freeLow = free.size();
            return freed;
        } finally {
            lock.unlock();
        }
    }
}
