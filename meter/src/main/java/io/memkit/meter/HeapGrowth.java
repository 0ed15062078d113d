package io.memkit.meter;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Finds a leak without a heap dump: runs a block {@code times} times and then {@code 2 x times}
 * times, with a {@link HeapHistogram} before, between and after, and reports the classes whose live
 * instance counts grew in proportion to the runs, as objgraph's {@code show_growth} does between
 * calls. A leak of one object per run shows as {@code +times} then {@code +2 x times}; caches that
 * fill once, lazy initialisation and garbage do not.
 *
 * <p>A class counts as growing when it gained instances in the first round and the second round's
 * gain is within 25% of twice the first's. The block runs once before the first histogram so that
 * what it initialises on first use is not counted. Each histogram runs a full garbage collection
 * (see {@link HeapHistogram#take()}); a measurement takes four (one before the others, so that
 * the names the histograms keep are counted in all of them alike).
 *
 * <p>Immutable; {@link #measure(int, Runnable)} runs on the calling thread, but the histograms
 * count every thread's objects, so work running beside the block can show up.
 */
public final class HeapGrowth {
    private final int times;
    private final List<ClassGrowth> growing;
    private final HeapHistogram.Diff diff;

    private HeapGrowth(int times, List<ClassGrowth> growing, HeapHistogram.Diff diff) {
        this.times = times;
        this.growing = List.copyOf(growing);
        this.diff = diff;
    }

    /**
     * Runs {@code block} once, then {@code times} times, then {@code 2 x times} times, taking a heap
     * histogram before each round and after the last.
     *
     * @param times runs in the first round, at least 1 (the second round runs twice as many)
     * @param block the code suspected of leaking; exceptions it throws propagate
     * @return the classes that grew in proportion to the runs, most bytes per run first
     * @throws NullPointerException          if {@code block} is {@code null}
     * @throws IllegalArgumentException      if {@code times} is not between 1 and 2^30
     * @throws UnsupportedOperationException if this JVM cannot take heap histograms
     */
    public static HeapGrowth measure(int times, Runnable block) {
        Objects.requireNonNull(block, "block must not be null");
        if (times < 1 || times > (1 << 30)) {
            throw new IllegalArgumentException("times must be 1 to 2^30: " + times);
        }
        block.run();
        // A first histogram, held to the end, makes the class names that the next ones keep (interned)
        // exist before h0 counts: otherwise they would show as Strings gained in the first round only.
        HeapHistogram names = HeapHistogram.take();
        HeapHistogram h0 = HeapHistogram.take();
        run(block, times);
        HeapHistogram h1 = HeapHistogram.take();
        run(block, 2 * times);
        HeapHistogram h2 = HeapHistogram.take();
        HeapHistogram.Diff first = HeapHistogram.diff(h0, h1);
        List<ClassGrowth> growing = new ArrayList<>();
        for (HeapHistogram.Diff.Change c : first.changes()) {
            long d1 = c.instancesDelta();
            if (d1 <= 0) {
                continue;
            }
            long d2 = h2.instances(c.className()) - h1.instances(c.className());
            if (Math.abs(d2 - 2 * d1) * 4 <= 2 * d1) {
                long bytes = h2.bytes(c.className()) - h0.bytes(c.className());
                growing.add(new ClassGrowth(c.className(), d1, d2, bytes, 3L * times));
            }
        }
        growing.sort(Comparator.comparingDouble(ClassGrowth::bytesPerRun).reversed()
                .thenComparing(ClassGrowth::className));
        Reference.reachabilityFence(names);
        return new HeapGrowth(times, growing, HeapHistogram.diff(h0, h2));
    }

    private static void run(Runnable block, int times) {
        for (int i = 0; i < times; i++) {
            block.run();
        }
    }

    /**
     * Runs in the first round; the second ran twice as many.
     *
     * @return {@code times} as given to {@link #measure(int, Runnable)}
     */
    public int times() {
        return times;
    }

    /**
     * The classes whose instance counts grew in proportion to the runs, most bytes per run first.
     *
     * @return the suspects, empty if nothing leaked
     */
    public List<ClassGrowth> growing() {
        return growing;
    }

    /**
     * Every change from the first histogram to the last, growing in proportion or not.
     *
     * @return the whole difference
     */
    public HeapHistogram.Diff diff() {
        return diff;
    }

    /**
     * The suspects as a table: class, instances gained per round, per run, and bytes per run.
     *
     * @param n how many classes at most
     * @return the text, ending with a line break
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public String format(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "classes growing with the runs (%,d then %,d runs): %d%n", times,
                2L * times, growing.size()));
        for (ClassGrowth g : growing.subList(0, Math.min(n, growing.size()))) {
            out.append(String.format(Locale.ROOT, "  %-60s %+,10d %+,10d  %8.2f per run  %10.1f B per run%n",
                    g.className(), g.firstRound(), g.secondRound(), g.instancesPerRun(), g.bytesPerRun()));
        }
        return out.toString();
    }

    /**
     * The top ten suspects; see {@link #format(int)}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return format(10);
    }

    /**
     * A class whose live instances grew with the runs.
     *
     * @param className   as {@link Class#getName()} spells it
     * @param firstRound  instances gained over the first round's runs
     * @param secondRound instances gained over the second round's runs (about twice the first)
     * @param bytesGained bytes of live instances gained over both rounds
     * @param runs        runs in both rounds together
     */
    public record ClassGrowth(String className, long firstRound, long secondRound, long bytesGained, long runs) {

        /**
         * Checks the values.
         *
         * @throws NullPointerException     if {@code className} is {@code null}
         * @throws IllegalArgumentException if {@code runs} is not positive
         */
        public ClassGrowth {
            Objects.requireNonNull(className, "className must not be null");
            if (runs <= 0) {
                throw new IllegalArgumentException(className + ": runs must be positive: " + runs);
            }
        }

        /**
         * Instances leaked per run.
         *
         * @return both rounds' gain over all their runs
         */
        public double instancesPerRun() {
            return (firstRound + secondRound) / (double) runs;
        }

        /**
         * Bytes leaked per run.
         *
         * @return {@link #bytesGained()} over all runs
         */
        public double bytesPerRun() {
            return bytesGained / (double) runs;
        }
    }
}
