package io.memkit.pools.internal;

import io.memkit.meter.internal.Stripes;
import java.util.List;

/**
 * The hit path of a {@code BufferPool}: idle blocks cached in striped magazines, one stripe per
 * few threads (picked by {@link Stripes#current()}), each stripe with a magazine per size class
 * under one guard. It pops and pushes blocks, moves whole magazines to and from the size class's
 * depot ({@link SizeClassArena}), and counts what it serves: per stripe, hits, releases and the
 * bytes of blocks taken minus returned there (negative on a stripe that gets back blocks another
 * stripe lent).
 *
 * <p>Invariants: a block is in at most one magazine, and only while idle; once {@link #close()}d,
 * no block enters or leaves a magazine except by {@link #drainTo} (each operation reads the flag
 * under the guard, and the pool drains after closing). Only {@link #pop}, {@link #popRefilled},
 * {@link #popAnyStripe}, {@link #push} and {@link #pushOtherStripes} are on user paths; they never
 * wait for a guard. Thread-safe.
 */
final class MagazineCache {
    private final Stripe[] stripes;
    private volatile boolean closed;

    MagazineCache(int classes) {
        this.stripes = new Stripe[Stripes.COUNT];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Stripe(classes);
        }
    }

    /**
     * The hit path: a block of the class from the caller's stripe, counted as a hit.
     *
     * @param sizeClass the size class
     * @return the block, now the caller's, or null (magazine empty, guard busy, or closed)
     */
    Block pop(int sizeClass) {
        Stripe s = stripes[Stripes.current()];
        if (!s.tryGuard()) {
            return null;
        }
        Block b = null;
        Magazine m = s.magazines[sizeClass];
        if (m != null && !closed && (b = m.pop()) != null) {
            s.hits++;
            s.inUseBytes += b.blockSize;
        }
        s.unguard();
        return b;
    }

    /**
     * The caller's stripe again, its magazine refilled from the arena's depot when empty.
     *
     * @param a the size class's arena
     * @return the block, or null
     */
    Block popRefilled(SizeClassArena a) {
        Stripe s = stripes[Stripes.current()];
        if (!s.tryGuard()) {
            return null;
        }
        Block b = null;
        Magazine m = s.magazines[a.sizeClass];
        if (m != null && !closed) {
            if (m.isEmpty()) {
                Block[] full = a.pollFullMagazine();
                if (full != null) {
                    m.loadFrom(full);
                    a.recycleEmptyMagazine(full);
                }
            }
            if ((b = m.pop()) != null) {
                s.hits++;
                s.inUseBytes += b.blockSize;
            }
        }
        s.unguard();
        return b;
    }

    /**
     * At the cap: one try on every stripe, the caller's first (never waiting for a guard), so that
     * idle memory is used before new memory.
     *
     * @param sizeClass the size class
     * @return the block, or null
     */
    Block popAnyStripe(int sizeClass) {
        int mine = Stripes.current();
        for (int i = 0; i < stripes.length; i++) {
            Stripe s = stripes[(mine + i) & (stripes.length - 1)];
            Magazine m = s.magazines[sizeClass];
            if (m == null || m.isEmpty() || !s.tryGuard()) {
                continue;
            }
            Block b = null;
            if (!closed && (b = m.pop()) != null) {
                s.hits++;
                s.inUseBytes += b.blockSize;
            }
            s.unguard();
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    /**
     * The fast release: into the caller's stripe, counted as a release. A full magazine first moves
     * half its blocks to the arena's depot, or to its free list if the depot is full.
     *
     * @param b the block, idle now
     * @param a the block's arena
     * @return {@code false} if the guard was busy or the cache is closed (nothing changed)
     */
    boolean push(Block b, SizeClassArena a) {
        Stripe s = stripes[Stripes.current()];
        if (!s.tryGuard()) {
            return false;
        }
        if (closed) {
            s.unguard();
            return false;
        }
        Magazine m = s.magazines[a.sizeClass];
        if (m == null) {
            m = new Magazine(SizeClasses.magazineHalf(a.blockSize));
            s.magazines[a.sizeClass] = m;
        }
        Block[] spilled = null;
        if (m.isFull()) {
            spilled = a.emptyMagazine();
            m.spillHalfInto(spilled);
            if (a.offerFullMagazine(spilled)) {
                spilled = null;
            }
        }
        m.push(b);
        s.releases++;
        s.inUseBytes -= b.blockSize;
        s.unguard();
        if (spilled != null) {
            a.takeBack(spilled); // the depot was full; outside the guard, as it takes the arena's lock
        }
        return true;
    }

    /**
     * A release whose own stripe was busy: one try on every other stripe with room.
     *
     * @param b the block, idle now
     * @return {@code true} if cached
     */
    boolean pushOtherStripes(Block b) {
        int mine = Stripes.current();
        for (int i = 1; i < stripes.length; i++) {
            Stripe s = stripes[(mine + i) & (stripes.length - 1)];
            Magazine m = s.magazines[b.sizeClass];
            if (m == null || m.isFull() || !s.tryGuard()) {
                continue;
            }
            boolean done = !closed && m.push(b);
            if (done) {
                s.releases++;
                s.inUseBytes -= b.blockSize;
            }
            s.unguard();
            if (done) {
                return true;
            }
        }
        return false;
    }

    /** Stops every later pop and push; blocks cached now stay until {@link #drainTo}. */
    void close() {
        closed = true;
    }

    /**
     * Maintenance: moves every cached block into {@code idle}, by size class, waiting for each
     * stripe's guard (held only for a few instructions at a time).
     *
     * @param idle one list per size class
     */
    void drainTo(List<List<Block>> idle) {
        for (Stripe s : stripes) {
            s.guardSpinning();
            try {
                for (int c = 0; c < s.magazines.length; c++) {
                    Magazine m = s.magazines[c];
                    if (m != null && !m.isEmpty()) {
                        m.drainTo(idle.get(c));
                    }
                }
            } finally {
                s.unguard();
            }
        }
    }

    /**
     * Decay step: moves the blocks that stayed untouched in every magazine for the last two decay
     * periods into {@code cold}, by size class (see {@link Magazine#takeCold}), waiting for each
     * stripe's guard.
     *
     * @param cold one list per size class
     */
    void takeColdTo(List<List<Block>> cold) {
        for (Stripe s : stripes) {
            s.guardSpinning();
            try {
                for (int c = 0; c < s.magazines.length; c++) {
                    Magazine m = s.magazines[c];
                    if (m != null) {
                        m.takeCold(cold.get(c));
                    }
                }
            } finally {
                s.unguard();
            }
        }
    }

    /**
     * Adds the stripes' counts to {@code totals}: {@code [0]} hits, {@code [1]} releases,
     * {@code [2]} bytes in use. Each stripe is read under its guard; stripes are read one after
     * another, so under concurrency the sum of bytes in use may be off by leases that moved between
     * stripes meanwhile (even negative); hits and releases are between their values at the start
     * and the end of the call.
     *
     * @param totals three longs to add to
     */
    void addCountsTo(long[] totals) {
        for (Stripe s : stripes) {
            s.guardSpinning();
            try {
                totals[0] += s.hits;
                totals[1] += s.releases;
                totals[2] += s.inUseBytes;
            } finally {
                s.unguard();
            }
        }
    }
}
