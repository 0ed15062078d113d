package io.memkit.weakcache.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter that many threads increment on a hot path, summed on read.
 *
 * <p>Each thread adds to the cell its thread id selects; cells sit 128 bytes apart so that two
 * threads on different cells never share a cache line. The add is atomic ({@code getAndAdd}), so
 * the sum is exact; with distinct cells it never contends. Thread ids are sequential, so the first
 * {@code cells} threads of a program land on distinct cells.
 *
 * <p>Thread-safe. {@link #sum()} is exact once increments stop, and otherwise counts each
 * increment that happened before it started.
 */
public final class StripedCounter {
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Longs per cell: 128 bytes, two cache lines, as adjacent-line prefetch pulls pairs. */
    private static final int STRIDE = 16;

    private final long[] cells;
    private final int mask;

    /** A counter with about two cells per processor (at least 2, at most 64). */
    public StripedCounter() {
        int n = Integer.highestOneBit(Math.max(2, Math.min(64, 2 * Runtime.getRuntime().availableProcessors())) * 2 - 1);
        this.mask = n - 1;
        // One stride of padding before the first cell keeps it off the array header's line.
        this.cells = new long[(n + 1) * STRIDE];
    }

    /**
     * Adds one on the calling thread's cell.
     *
     * @return the value of the calling thread's cell before the add (not the sum); callers use it
     *         to run periodic work every so many calls
     */
    public long increment() {
        int i = (((int) Thread.currentThread().getId() & mask) + 1) * STRIDE;
        return (long) CELLS.getAndAdd(cells, i, 1L);
    }

    /**
     * The sum of all cells.
     *
     * @return the count
     */
    public long sum() {
        long sum = 0;
        for (int i = STRIDE; i < cells.length; i += STRIDE) {
            sum += (long) CELLS.getVolatile(cells, i);
        }
        return sum;
    }
}
