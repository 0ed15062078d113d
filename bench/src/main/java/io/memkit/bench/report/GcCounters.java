package io.memkit.bench.report;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Collection count and time summed over every collector of this JVM, from {@link GarbageCollectorMXBean}s.
 *
 * @param count  collections so far, or -1 where no collector reports one
 * @param millis collection time so far in milliseconds, or -1 where unknown
 */
public record GcCounters(long count, long millis) {
    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

    /**
     * Reads the counters now.
     *
     * @return the sums over all collectors
     */
    public static GcCounters now() {
        long count = 0;
        long millis = 0;
        boolean anyCount = false;
        boolean anyTime = false;
        for (GarbageCollectorMXBean gc : COLLECTORS) {
            long c = gc.getCollectionCount();
            long t = gc.getCollectionTime();
            if (c >= 0) {
                count += c;
                anyCount = true;
            }
            if (t >= 0) {
                millis += t;
                anyTime = true;
            }
        }
        return new GcCounters(anyCount ? count : -1, anyTime ? millis : -1);
    }

    /**
     * The collectors' names, e.g. {@code "G1 Young Generation, G1 Old Generation"}.
     *
     * @return the names joined by commas
     */
    public static String collectorNames() {
        StringBuilder names = new StringBuilder();
        for (GarbageCollectorMXBean gc : COLLECTORS) {
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(gc.getName());
        }
        return names.toString();
    }
}
