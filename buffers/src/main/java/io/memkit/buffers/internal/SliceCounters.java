package io.memkit.buffers.internal;

import io.memkit.meter.Instrumented;
import io.memkit.meter.Instruments;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JVM-wide counters behind {@code Slice.stats()}: views and bytes handed out without a copy,
 * and explicit copies. Registered with {@link Instruments} as {@code type=Slice, name=slices}.
 *
 * <p>Cost: counting runs on every {@code slice()}, so it must be nearly free (DESIGN principle 6).
 * A {@code LongAdder} costs a locked CAS per add even on one thread, which is several times the
 * cost of making the view itself. Here each thread adds to one of {@value #STRIPES} stripes,
 * chosen from its thread id, with plain opaque read-modify-writes and no lock prefix: on one
 * thread the counts are exact; two threads that share a stripe and add at the same instant may
 * lose an increment, so under contention the totals are a close lower bound. Each stripe sits
 * on its own 128-byte block (adjacent-line prefetch) so threads on different stripes never
 * share a cache line.
 *
 * <p>Switch: the system property {@code io.memkit.slice.stats=false}, read once at class
 * initialization, turns counting off entirely (the JIT then removes it); {@link #snapshot()} then
 * returns zeros. Thread-safe.
 */
public final class SliceCounters implements Instrumented {

    /** Whether counting is on: system property {@code io.memkit.slice.stats}, default {@code true}. */
    public static final boolean ENABLED =
            !"false".equalsIgnoreCase(System.getProperty("io.memkit.slice.stats", "true").trim());

    private static final int STRIPES = 64;
    /** Longs per stripe: 16 x 8 bytes = 128 bytes, two cache lines. */
    private static final int SPACING = 16;
    private static final int VIEWS = 0;
    private static final int BYTES_VIEWED = 1;
    private static final int COPIES = 2;
    private static final int BYTES_COPIED = 3;

    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    /** Stripe s uses cells [SPACING * (s + 1), +4); the leading block keeps stripe 0 off the array header. */
    private static final long[] CELLS = new long[SPACING * (STRIPES + 1)];

    private static final SliceCounters INSTANCE = new SliceCounters();

    static {
        Instruments.register(INSTANCE);
    }

    private SliceCounters() {
    }

    /**
     * The registered instance, for reports.
     *
     * @return the single instance
     */
    public static SliceCounters instance() {
        return INSTANCE;
    }

    /**
     * Counts one view of {@code bytes} bytes handed out without a copy.
     *
     * @param bytes the view's length
     */
    public static void view(int bytes) {
        if (ENABLED) {
            int base = stripeBase();
            add(base + VIEWS, 1);
            add(base + BYTES_VIEWED, bytes);
        }
    }

    /**
     * Counts one explicit copy of {@code bytes} bytes.
     *
     * @param bytes the number of bytes copied
     */
    public static void copy(long bytes) {
        if (ENABLED) {
            int base = stripeBase();
            add(base + COPIES, 1);
            add(base + BYTES_COPIED, bytes);
        }
    }

    /**
     * Sums the stripes: views, bytesViewed, copies, bytesCopied. O(stripes); each value is read
     * with opaque mode, so the four are individually current but not one atomic snapshot.
     *
     * @return the four totals, in that order
     */
    public static long[] snapshot() {
        long[] sums = new long[4];
        for (int s = 1; s <= STRIPES; s++) {
            int base = s * SPACING;
            for (int c = 0; c < 4; c++) {
                sums[c] += (long) CELL.getOpaque(CELLS, base + c);
            }
        }
        return sums;
    }

    private static void add(int cell, long delta) {
        // Opaque: no tearing and eventual visibility to snapshot(), without a fence or lock prefix.
        CELL.setOpaque(CELLS, cell, (long) CELL.getOpaque(CELLS, cell) + delta);
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and this compiles for 17
    private static int stripeBase() {
        long id = Thread.currentThread().getId();
        int stripe = (int) ((id * 0x9E3779B97F4A7C15L) >>> 58); // Fibonacci hash: top 6 bits
        return (stripe + 1) * SPACING;
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
    public Map<String, Long> counters() {
        long[] s = snapshot();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("views", s[VIEWS]);
        m.put("bytesViewed", s[BYTES_VIEWED]);
        m.put("copies", s[COPIES]);
        m.put("bytesCopied", s[BYTES_COPIED]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
