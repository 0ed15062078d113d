package io.memkit.meter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link AllocationSites#record(Runnable)} found: the sites that allocated while the block ran,
 * largest estimated bytes first, beside the exact byte count of the recording thread.
 *
 * <p>Immutable.
 *
 * @param sites          every site seen, largest {@link AllocationSite#estimatedBytes()} first
 * @param samples        JFR allocation samples that fell inside the block, on the recording thread
 * @param estimatedBytes the sum of the sites' estimated bytes
 * @param measuredBytes  the exact heap bytes the recording thread allocated in the block, from
 *                       {@link MemoryMeter}; {@code -1} where the JVM does not count them
 * @param depth          how many frames of each stack were kept and told sites apart
 */
public record AllocationReport(List<AllocationSite> sites, long samples, long estimatedBytes, long measuredBytes,
                               int depth) {

    /**
     * Checks the values and copies {@code sites}.
     *
     * @throws NullPointerException     if {@code sites} is {@code null}
     * @throws IllegalArgumentException if {@code samples}, {@code estimatedBytes} or {@code depth} is out of range
     */
    public AllocationReport {
        sites = List.copyOf(sites);
        if (samples < 0 || estimatedBytes < 0 || depth < 1) {
            throw new IllegalArgumentException("samples=" + samples + ", estimatedBytes=" + estimatedBytes
                    + ", depth=" + depth + ": counts must not be negative and depth must be at least 1");
        }
    }

    /**
     * The largest sites.
     *
     * @param n how many at most
     * @return the first {@code n} of {@link #sites()}
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public List<AllocationSite> top(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        return sites.subList(0, Math.min(n, sites.size()));
    }

    /**
     * The sites whose estimated bytes grew from one report to another: tracemalloc's
     * {@code snapshot.compare_to}. Sites match by allocated type and stack. Both figures are
     * estimates from samples, so a difference smaller than a few samples' weight is noise.
     *
     * @param before the earlier report
     * @param after  the later report
     * @return the sites of {@code after} that allocated more than in {@code before} (or were new),
     *         largest growth first
     * @throws NullPointerException if an argument is {@code null}
     */
    public static List<Growth> grown(AllocationReport before, AllocationReport after) {
        Objects.requireNonNull(before, "before must not be null");
        Objects.requireNonNull(after, "after must not be null");
        Map<Key, AllocationSite> earlier = new HashMap<>();
        for (AllocationSite s : before.sites) {
            earlier.put(new Key(s.objectType(), s.stack()), s);
        }
        List<Growth> grown = new ArrayList<>();
        for (AllocationSite s : after.sites) {
            AllocationSite old = earlier.get(new Key(s.objectType(), s.stack()));
            long was = old == null ? 0 : old.estimatedBytes();
            if (s.estimatedBytes() > was) {
                grown.add(new Growth(s, was, s.estimatedBytes()));
            }
        }
        grown.sort(Comparator.comparingLong(Growth::bytesDelta).reversed());
        return List.copyOf(grown);
    }

    /**
     * The largest sites as a table, one site per block: share, estimated bytes, samples, type and
     * the stack, innermost frame first.
     *
     * @param n how many sites at most
     * @return the text, ending with a line break
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public String format(int n) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d sample(s), estimated %,d B; measured exactly %s%n", samples,
                estimatedBytes, measuredBytes < 0 ? "(unsupported)" : String.format(Locale.ROOT, "%,d B", measuredBytes)));
        for (AllocationSite s : top(n)) {
            out.append(String.format(Locale.ROOT, "  %5.1f%%  %,15d B  %5d sample(s)  %s%n", 100 * s.share(),
                    s.estimatedBytes(), s.samples(), s.objectType()));
            for (AllocationSite.Frame f : s.stack()) {
                out.append("      at ").append(f).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The top ten sites; see {@link #format(int)}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return format(10);
    }

    /**
     * A site that allocated more in a later report than in an earlier one.
     *
     * @param site        the site in the later report
     * @param bytesBefore its estimated bytes in the earlier report (0 if it was not there)
     * @param bytesAfter  its estimated bytes in the later report
     */
    public record Growth(AllocationSite site, long bytesBefore, long bytesAfter) {

        /**
         * Checks for null.
         *
         * @throws NullPointerException if {@code site} is {@code null}
         */
        public Growth {
            Objects.requireNonNull(site, "site must not be null");
        }

        /**
         * How much more the site allocated.
         *
         * @return {@code bytesAfter - bytesBefore}
         */
        public long bytesDelta() {
            return bytesAfter - bytesBefore;
        }
    }

    private record Key(String type, List<AllocationSite.Frame> stack) {
    }
}
