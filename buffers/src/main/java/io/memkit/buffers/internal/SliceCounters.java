package io.memkit.buffers.internal;

import io.memkit.buffers.SliceStats;
import io.memkit.meter.Instrumented;
import io.memkit.meter.Instruments;
import io.memkit.meter.internal.Stripes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The JVM-wide counters behind {@code Slice.stats()}: views and bytes handed out without a copy,
 * and explicit copies. Registered with {@link Instruments} as {@code type=Slice, name=slices}.
 *
 * <p>Counting is plain adds on one {@link Stripes stripe} of a static array (no atomic
 * instruction: exact on one thread, a lower bound when threads share a stripe), which the JIT
 * folds into the caller as a constant address. A view is counted on the stripe of the thread that
 * made the memory's {@link SliceOwner} (the wrap or the lease), read from the owner the view
 * already holds: loading the current thread's id instead kept the thread live across a parse
 * loop that makes a view per field, and the register spills that followed cost more than the
 * counting itself ({@code SliceBenchmark.parseMemkit} against {@code parseMemkitStatsOff}).
 * A copy costs far more than that lookup, so copies count on the copying thread's stripe.
 *
 * <p>Switch: the system property {@code io.memkit.slice.stats=false}, read once at class
 * initialization, turns counting off entirely (the JIT then removes it); {@link #snapshot()} then
 * returns zeros. Thread-safe.
 */
public final class SliceCounters implements Instrumented {

    /** Whether counting is on: system property {@code io.memkit.slice.stats}, default {@code true}. */
    public static final boolean ENABLED =
            !"false".equalsIgnoreCase(System.getProperty("io.memkit.slice.stats", "true").trim());

    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int VIEWS = 0;
    private static final int BYTES_VIEWED = 1;
    private static final int COPIES = 2;
    private static final int BYTES_COPIED = 3;

    /** Longs per stripe: one 128-byte block, so stripes never share a cache line. */
    private static final int BLOCK = 16;
    /** Stripe s at [BLOCK * (s + 1), +4): a leading block keeps stripe 0 off the array header. */
    private static final long[] CELLS = new long[BLOCK * (Stripes.COUNT + 1)];

    /** Held here: the registry keeps components weakly, and this one lives as long as the class. */
    private static final SliceCounters INSTANCE = new SliceCounters();

    static {
        Instruments.register(INSTANCE);
    }

    private SliceCounters() {
    }

    /**
     * Counts one view of {@code bytes} bytes of {@code owner}'s memory handed out without a copy,
     * on the stripe of the thread that made the owner.
     *
     * @param owner the memory the view is of
     * @param bytes the view's length
     */
    public static void view(SliceOwner owner, int bytes) {
        if (ENABLED) {
            // The mask keeps the index in the array for any value, so the JIT drops the range checks.
            int base = ((owner.stripe() & Stripes.MASK) + 1) * BLOCK;
            CELLS[base + VIEWS] += 1;
            CELLS[base + BYTES_VIEWED] += bytes;
        }
    }

    /**
     * Counts one explicit copy of {@code bytes} bytes.
     *
     * @param bytes the number of bytes copied
     */
    public static void copy(long bytes) {
        if (ENABLED) {
            int base = (Stripes.current() + 1) * BLOCK;
            CELLS[base + COPIES] += 1;
            CELLS[base + BYTES_COPIED] += bytes;
        }
    }

    /**
     * Sums the stripes: views, bytesViewed, copies, bytesCopied. O(stripes); the four are
     * individually current but not one atomic snapshot.
     *
     * @return the four totals, in that order
     */
    public static long[] snapshot() {
        long[] sums = new long[4];
        for (int base = BLOCK; base < CELLS.length; base += BLOCK) {
            for (int c = 0; c < 4; c++) {
                sums[c] += (long) CELL.getOpaque(CELLS, base + c);
            }
        }
        return sums;
    }

    @Override
    public String name() {
        return "slices";
    }

    @Override
    public String type() {
        return "Slice";
    }

    @Override
    public SliceStats stats() {
        long[] s = snapshot();
        return new SliceStats(s[VIEWS], s[BYTES_VIEWED], s[COPIES], s[BYTES_COPIED]);
    }
}
