package io.memkit.meter.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A fixed set of counters that many threads add to on hot paths, summed on read: the one
 * counting scheme of memkit.
 *
 * <p>Each thread adds to the cells of its {@link Stripes stripe}; one stripe's cells share a
 * 128-byte block and blocks never share a cache line (adjacent-line prefetch pulls pairs of
 * lines), so threads on different stripes never contend. Two ways to add, chosen per call site:
 * <ul>
 *   <li>{@link #add(int, long)}: an atomic add on the stripe's cell. Exact under any concurrency;
 *       uncontended, since a stripe is shared only by threads that hash to it.</li>
 *   <li>{@link #addRelaxed(int, long)}: a plain load and store, no lock prefix, no fence. Exact
 *       on one thread; two threads that share a stripe and add at the same instant can lose one
 *       add, so under contention a sum can fall short but never exceed the true count, and the
 *       JIT may keep a loop's adds in a register until the loop ends, so a reader can lag a
 *       running loop. For counters on paths where an atomic instruction or a fence would cost a
 *       visible share of the operation (a slice view, an intern hit).</li>
 * </ul>
 * A counter must be written in one of the two ways only.
 *
 * <p>Reads: {@link #sum(int)} reads every stripe with opaque loads, O(stripes). Each sum is a
 * value the counter held at some instant during the call only if no add ran meanwhile; sums of
 * two counters are not one atomic snapshot. Thread-safe.
 */
public final class StripedCounters {

    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    /** Longs per 128-byte block. */
    private static final int BLOCK = 16;

    private final long[] cells;
    private final int counters;

    /**
     * Makes {@code counters} counters, all zero, over {@link Stripes#COUNT} stripes.
     *
     * @param counters how many counters, 1 to 16 (one 128-byte block per stripe)
     * @throws IllegalArgumentException if {@code counters} is out of range
     */
    public StripedCounters(int counters) {
        if (counters < 1 || counters > BLOCK) {
            throw new IllegalArgumentException("counters must be in [1, " + BLOCK + "]: " + counters);
        }
        this.counters = counters;
        // One block of padding before the first stripe keeps it off the array header's line.
        this.cells = new long[BLOCK * (Stripes.COUNT + 1)];
    }

    /**
     * Adds {@code delta} to {@code counter} atomically on the calling thread's stripe. Exact.
     *
     * @param counter the counter, in {@code [0, counters)}; checked only against the block size of
     *                16, so a wrong index below 16 is lost rather than reported
     * @param delta   the amount, may be negative
     */
    public void add(int counter, long delta) {
        CELL.getAndAdd(cells, cell(counter), delta);
    }

    /**
     * Adds {@code delta} to {@code counter} on the calling thread's stripe with a plain load and
     * store; see the class comment for what can be lost.
     *
     * @param counter the counter, in {@code [0, counters)}
     * @param delta   the amount, may be negative
     */
    public void addRelaxed(int counter, long delta) {
        cells[cell(counter)] += delta;
    }

    /**
     * The sum of one counter over all stripes.
     *
     * @param counter the counter, in {@code [0, counters)}
     * @return the sum
     * @throws IndexOutOfBoundsException if {@code counter} is out of range
     */
    public long sum(int counter) {
        Objects.checkIndex(counter, counters);
        long sum = 0;
        for (int i = BLOCK + counter; i < cells.length; i += BLOCK) {
            sum += (long) CELL.getOpaque(cells, i);
        }
        return sum;
    }

    /**
     * The number of counters.
     *
     * @return the count given to the constructor
     */
    public int counters() {
        return counters;
    }

    private int cell(int counter) {
        // The counter index is a constant at every call site, and so is the bound (a block, not
        // the field `counters`, which the JIT would have to load): the check folds away and still
        // keeps a wrong index out of the next stripe.
        return stripeBase() + Objects.checkIndex(counter, BLOCK);
    }

    private static int stripeBase() {
        return (Stripes.current() + 1) << 4; // BLOCK longs per stripe, after one block of padding
    }
}
