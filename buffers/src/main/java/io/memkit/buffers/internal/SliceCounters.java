package io.memkit.buffers.internal;

import io.memkit.buffers.SliceStats;
import io.memkit.meter.Instrumented;
import io.memkit.meter.Instruments;
import io.memkit.meter.internal.StripedCounters;

/**
 * The JVM-wide counters behind {@code Slice.stats()}: views and bytes handed out without a copy,
 * and explicit copies. Registered with {@link Instruments} as {@code type=Slice, name=slices}.
 *
 * <p>Counting runs on every {@code slice()}, which otherwise costs a few nanoseconds, so it uses
 * the relaxed adds of {@link StripedCounters} (no atomic instruction): exact on one thread; two
 * threads that share a stripe and add at the same instant may lose an increment, so under
 * contention the totals are a lower bound.
 *
 * <p>Switch: the system property {@code io.memkit.slice.stats=false}, read once at class
 * initialization, turns counting off entirely (the JIT then removes it); {@link #snapshot()} then
 * returns zeros. Thread-safe.
 */
public final class SliceCounters implements Instrumented {

    /** Whether counting is on: system property {@code io.memkit.slice.stats}, default {@code true}. */
    public static final boolean ENABLED =
            !"false".equalsIgnoreCase(System.getProperty("io.memkit.slice.stats", "true").trim());

    private static final int VIEWS = 0;
    private static final int BYTES_VIEWED = 1;
    private static final int COPIES = 2;
    private static final int BYTES_COPIED = 3;

    private static final StripedCounters COUNTERS = new StripedCounters(4);

    /** Held here: the registry keeps components weakly, and this one lives as long as the class. */
    private static final SliceCounters INSTANCE = new SliceCounters();

    static {
        Instruments.register(INSTANCE);
    }

    private SliceCounters() {
    }

    /**
     * Counts one view of {@code bytes} bytes handed out without a copy.
     *
     * @param bytes the view's length
     */
    public static void view(int bytes) {
        if (ENABLED) {
            COUNTERS.addRelaxed(VIEWS, 1, BYTES_VIEWED, bytes);
        }
    }

    /**
     * Counts one explicit copy of {@code bytes} bytes.
     *
     * @param bytes the number of bytes copied
     */
    public static void copy(long bytes) {
        if (ENABLED) {
            COUNTERS.addRelaxed(COPIES, 1, BYTES_COPIED, bytes);
        }
    }

    /**
     * Sums the stripes: views, bytesViewed, copies, bytesCopied. O(stripes); the four are
     * individually current but not one atomic snapshot.
     *
     * @return the four totals, in that order
     */
    public static long[] snapshot() {
        return new long[] {
            COUNTERS.sum(VIEWS), COUNTERS.sum(BYTES_VIEWED), COUNTERS.sum(COPIES), COUNTERS.sum(BYTES_COPIED)
        };
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
