package io.memkit.pools.internal;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The direct memory a {@code BufferPool} may hold: a cap, the bytes reserved under it, and the
 * highest reservation seen; and the one place the pool gets memory from ({@link #allocate}).
 *
 * <p>Invariant: {@code 0 <= reserved() <= max()} at every instant, and {@code peak()} is the
 * largest value {@code reserved()} has had (it may trail a concurrent reservation by the time one
 * compare-and-set takes). Memory is reserved before it is allocated and released when the pool
 * drops it, so the cap holds even while the collector has not yet freed dropped buffers.
 * Lock-free; thread-safe.
 */
final class MemoryBudget {
    private final long max;
    private final AtomicLong reserved = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final ReentrantLock spareLock = new ReentrantLock();
    /** Regions of dropped slabs, still reserved; guarded by spareLock. */
    private final ArrayList<SlabMemory> spare = new ArrayList<>();

    MemoryBudget(long max) {
        this.max = max;
    }

    /**
     * Reserves {@code bytes} if they fit under the cap.
     *
     * @param bytes the bytes, {@code >= 0}
     * @return {@code true} if reserved
     */
    boolean tryReserve(long bytes) {
        for (;;) {
            long r = reserved.get();
            if (r + bytes > max) {
                return false;
            }
            if (reserved.compareAndSet(r, r + bytes)) {
                notePeak(r + bytes);
                return true;
            }
        }
    }

    /**
     * Reserves as many units of {@code unit} bytes as fit, at most {@code want}.
     *
     * @param unit the unit, {@code >= 1}
     * @param want the most units wanted, {@code >= 1}
     * @return the units reserved, 0 if not even one fits
     */
    int reserveUpTo(int unit, int want) {
        for (;;) {
            long r = reserved.get();
            long room = (max - r) / unit;
            if (room < 1) {
                return 0;
            }
            int units = (int) Math.min(want, room);
            long bytes = (long) units * unit;
            if (reserved.compareAndSet(r, r + bytes)) {
                notePeak(r + bytes);
                return units;
            }
        }
    }

    /**
     * Gives reserved bytes back.
     *
     * @param bytes bytes reserved before
     */
    void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    /**
     * Allocates memory already reserved, from {@link SlabMemory}'s source. On failure the
     * reservation is given back and the error rethrown.
     *
     * @param bytes reserved bytes, at most {@link Integer#MAX_VALUE}
     * @return a new region of exactly {@code bytes}
     * @throws OutOfMemoryError if the source refuses the memory (for {@code allocateDirect}: the
     *                          JDK's {@code -XX:MaxDirectMemorySize})
     */
    SlabMemory allocate(long bytes) {
        try {
            return SlabMemory.allocate((int) bytes);
        } catch (OutOfMemoryError e) {
            release(bytes);
            throw e;
        }
    }

    /**
     * Drops a slab the pool no longer holds: gives its bytes back to the budget and its memory to
     * the source (to the operating system at once on JDK 22+, see {@link SlabMemory}). Not on the
     * acquire and release paths of pooled blocks: freeing may be a handshake with every thread.
     *
     * @param slab a slab no block of which is in use or cached
     */
    void free(Slab slab) {
        free(slab.region);
    }

    /** Gives a region's bytes back and frees it. */
    private long free(SlabMemory region) {
        long bytes = region.buffer().capacity();
        release(bytes);
        region.free();
        return bytes;
    }

    /**
     * Keeps the region of a slab the pool dropped for re-carving: its bytes stay reserved.
     *
     * @param slab a slab no block of which is in use or cached
     */
    void park(Slab slab) {
        spareLock.lock();
        try {
            spare.add(slab.region);
        } finally {
            spareLock.unlock();
        }
    }

    /**
     * Takes the smallest spare region of at least {@code minBytes}.
     *
     * @param minBytes the least size that is of use
     * @return the region, still reserved and now the caller's, or null if none is that large
     */
    SlabMemory takeSpare(int minBytes) {
        spareLock.lock();
        try {
            int best = -1;
            for (int i = 0; i < spare.size(); i++) {
                int size = spare.get(i).buffer().capacity();
                if (size >= minBytes && (best < 0 || size < spare.get(best).buffer().capacity())) {
                    best = i;
                }
            }
            if (best < 0) {
                return null;
            }
            SlabMemory region = spare.get(best);
            spare.set(best, spare.get(spare.size() - 1));
            spare.remove(spare.size() - 1);
            return region;
        } finally {
            spareLock.unlock();
        }
    }

    /**
     * Frees every spare region and gives its bytes back.
     *
     * @return the bytes given back
     */
    long freeSpare() {
        SlabMemory[] regions;
        spareLock.lock();
        try {
            if (spare.isEmpty()) {
                return 0;
            }
            regions = spare.toArray(new SlabMemory[0]);
            spare.clear();
        } finally {
            spareLock.unlock();
        }
        long freed = 0;
        for (SlabMemory region : regions) {
            freed += free(region);
        }
        return freed;
    }

    /**
     * The cap.
     *
     * @return the most bytes that may be reserved
     */
    long max() {
        return max;
    }

    /**
     * Bytes reserved now.
     *
     * @return reserved bytes, in {@code [0, max()]}
     */
    long reserved() {
        return reserved.get();
    }

    /**
     * The highest reservation seen.
     *
     * @return peak reserved bytes, at most {@code max()}
     */
    long peak() {
        return peak.get();
    }

    private void notePeak(long value) {
        long p;
        while ((p = peak.get()) < value && !peak.compareAndSet(p, value)) {
            Thread.onSpinWait();
        }
    }
}
