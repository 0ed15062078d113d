package io.memkit.meter.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
 *   <li>{@link #addRelaxed(int, long)}: an opaque load and an opaque store, no lock prefix. Exact
 *       on one thread; two threads that share a stripe and add at the same instant can lose one
 *       add, so under contention a sum can fall short but never exceed the true count. For
 *       counters on paths where an atomic instruction would cost a visible share of the
 *       operation (a slice view, an intern hit).</li>
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
    private final int stride;
    private final int counters;

    /**
     * Makes {@code counters} counters, all zero, over {@link Stripes#COUNT} stripes.
     *
     * @param counters how many counters, 1 to 1024
     * @throws IllegalArgumentException if {@code counters} is out of range
     */
    public StripedCounters(int counters) {
        if (counters < 1 || counters > 1024) {
            throw new IllegalArgumentException("counters must be in [1, 1024]: " + counters);
        }
        this.counters = counters;
        this.stride = (counters + BLOCK - 1) / BLOCK * BLOCK;
        // One block of padding before the first stripe keeps it off the array header's line.
        this.cells = new long[BLOCK + stride * Stripes.COUNT];
    }

    /**
     * Adds {@code delta} to {@code counter} atomically on the calling thread's stripe. Exact.
     *
     * @param counter the counter, in {@code [0, counters)}
     * @param delta   the amount, may be negative
     */
    public void add(int counter, long delta) {
        CELL.getAndAdd(cells, cell(counter), delta);
    }

    /**
     * Adds {@code delta} to {@code counter} on the calling thread's stripe without an atomic
     * instruction; see the class comment for what can be lost.
     *
     * @param counter the counter, in {@code [0, counters)}
     * @param delta   the amount, may be negative
     * @return the value of the calling thread's cell before the add (not the sum), for callers
     *         that run periodic work every so many calls
     */
    public long addRelaxed(int counter, long delta) {
        int i = cell(counter);
        long before = (long) CELL.getOpaque(cells, i);
        CELL.setOpaque(cells, i, before + delta);
        return before;
    }

    /**
     * The sum of one counter over all stripes.
     *
     * @param counter the counter, in {@code [0, counters)}
     * @return the sum
     * @throws IndexOutOfBoundsException if {@code counter} is out of range
     */
    public long sum(int counter) {
        java.util.Objects.checkIndex(counter, counters);
        long sum = 0;
        for (int i = BLOCK + counter; i < cells.length; i += stride) {
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
        // The counter index is a constant at every call site; the range check guards the rest of
        // the stripe from a wrong index, and the JIT folds it away for constants.
        java.util.Objects.checkIndex(counter, counters);
        return BLOCK + Stripes.current() * stride + counter;
    }
}
