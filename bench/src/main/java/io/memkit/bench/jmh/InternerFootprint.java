package io.memkit.bench.jmh;

import io.memkit.weakcache.Interner;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Retained heap bytes per live entry of weak interners (keys excluded), by {@link MemoryMXBean}
 * heap-used deltas after full collections: the keys are created first and held strongly, then
 * each interner interns all of them and the heap it added is divided by their number.
 *
 * <p>Run: {@code java -Xms3g -Xmx3g -cp bench/target/memkit-bench.jar io.memkit.bench.jmh.InternerFootprint [entries] [impl...]}
 * (impls: memkit, guava, caffeine, chmStrong; default all, 1,000,000 entries). Each implementation is
 * measured three times; the table gives each run and the median.
 */
public final class InternerFootprint {
    private InternerFootprint() {
    }

    /**
     * Measures and prints the table.
     *
     * @param args optional entry count, then implementation names
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        String[] impls = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"memkit", "guava", "caffeine", "chmStrong"};
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "footprint-key-" + i;
        }
        System.out.printf(Locale.ROOT, "retained heap bytes per live entry, %,d entries, keys excluded (JDK %s)%n",
                n, System.getProperty("java.version"));
        for (String impl : impls) {
            double[] runs = new double[3];
            for (int r = 0; r < runs.length; r++) {
                runs[r] = measure(impl, keys);
            }
            double[] sorted = runs.clone();
            java.util.Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%-10s median %6.1f B/entry   runs %6.1f %6.1f %6.1f%n",
                    impl, sorted[1], runs[0], runs[1], runs[2]);
        }
        Reference.reachabilityFence(keys);
    }

    private static double measure(String impl, String[] keys) {
        long before = usedAfterGc();
        Object[] holder = new Object[1];
        UnaryOperator<String> interner = create(impl, holder);
        for (String key : keys) {
            if (interner.apply(key) != key) {
                throw new IllegalStateException(impl + " did not make a new key canonical: " + key);
            }
        }
        long after = usedAfterGc();
        Reference.reachabilityFence(interner);
        Reference.reachabilityFence(holder);
        return (after - before) / (double) keys.length;
    }

    static UnaryOperator<String> create(String impl, Object[] holder) {
        switch (impl) {
            case "memkit": {
                Interner<String> memkit = Interner.weak("footprint");
                holder[0] = memkit;
                return memkit::intern;
            }
            case "guava": {
                com.google.common.collect.Interner<String> guava = com.google.common.collect.Interners.newWeakInterner();
                holder[0] = guava;
                return guava::intern;
            }
            case "caffeine": {
                com.github.benmanes.caffeine.cache.Interner<String> caffeine =
                        com.github.benmanes.caffeine.cache.Interner.newWeakInterner();
                holder[0] = caffeine;
                return caffeine::intern;
            }
            case "chmStrong": {
                ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();
                holder[0] = map;
                return s -> {
                    String found = map.putIfAbsent(s, s);
                    return found != null ? found : s;
                };
            }
            default:
                throw new IllegalArgumentException("unknown implementation: " + impl);
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
