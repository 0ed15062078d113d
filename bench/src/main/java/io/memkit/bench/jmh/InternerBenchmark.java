package io.memkit.bench.jmh;

import io.memkit.weakcache.Interner;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Weak interners against each other and against {@code String.intern()} and a strong
 * {@link ConcurrentHashMap} interner, on a working set of 100,000 strings that stay alive.
 *
 * <ul>
 *   <li>{@code hit}: every call interns an equal but not identical copy of a working-set string
 *       (its own bytes, so {@code equals} really compares), in creation or shuffled order. Expect 0 B/op.</li>
 *   <li>{@code mixed}: nine such hits, then one miss with a brand-new string (made in the benchmark,
 *       {@code "miss-" + n}; its allocation is in every implementation's B/op alike), per 10 ops.</li>
 * </ul>
 * Run with {@code -t 1} and {@code -t 2}; the interner is shared by the threads, each walks its
 * own shuffled order. The strong interner is emptied and refilled with the working set before each
 * iteration, or its misses would pile up without bound.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class InternerBenchmark {
    static final int WORKING_SET = 100_000;

    /** The implementation under test. */
    @Param({"memkit", "guava", "caffeine", "stringIntern", "chmStrong"})
    public String impl;

    /**
     * The walk over the working set: in creation order (strings and entries laid out as they were
     * made, so the hardware prefetches them: CPU-bound), or shuffled (mostly cache misses:
     * memory-bound).
     */
    @Param({"sequential", "shuffled"})
    public String order;

    /** One interface over the five implementations; one call per intern. */
    interface StringInterner {
        String intern(String s);
    }

    StringInterner interner;
    /** The canonical instances, held strongly so that hits stay hits. */
    String[] canonical;
    /** For each working-set string, an equal copy with its own bytes. */
    String[] probes;
    ConcurrentHashMap<String, String> strong;

    @Setup(Level.Trial)
    public void setUp() {
        interner = create(impl);
        canonical = new String[WORKING_SET];
        probes = new String[WORKING_SET];
        for (int i = 0; i < WORKING_SET; i++) {
            String s = "memkit-interner-key-" + i;
            canonical[i] = interner.intern(s);
            probes[i] = new String(s.toCharArray());
        }
    }

    @Setup(Level.Iteration)
    public void refillStrong() {
        if (strong != null) {
            strong.clear();
            for (String s : canonical) {
                strong.put(s, s);
            }
        }
    }

    StringInterner create(String name) {
        switch (name) {
            case "memkit": {
                Interner<String> memkit = Interner.weak("bench");
                return memkit::intern;
            }
            case "guava": {
                com.google.common.collect.Interner<String> guava = com.google.common.collect.Interners.newWeakInterner();
                return guava::intern;
            }
            case "caffeine": {
                com.github.benmanes.caffeine.cache.Interner<String> caffeine =
                        com.github.benmanes.caffeine.cache.Interner.newWeakInterner();
                return caffeine::intern;
            }
            case "stringIntern":
                return String::intern;
            case "chmStrong": {
                ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();
                strong = map;
                return s -> {
                    String found = map.get(s);
                    if (found != null) {
                        return found;
                    }
                    found = map.putIfAbsent(s, s);
                    return found != null ? found : s;
                };
            }
            default:
                throw new IllegalArgumentException("unknown implementation: " + name);
        }
    }

    /** Each thread's own shuffled walk over the working set, and its miss counter. */
    @State(Scope.Thread)
    public static class Walk {
        int[] order;
        int next;
        long misses;
        String missPrefix;

        @Setup(Level.Trial)
        public void setUp(InternerBenchmark benchmark) {
            order = new int[WORKING_SET];
            Random random = new Random(Thread.currentThread().getId() * 31 + 7);
            // Threads start at different places of the walk.
            int start = random.nextInt(WORKING_SET);
            for (int i = 0; i < WORKING_SET; i++) {
                order[i] = (start + i) % WORKING_SET;
            }
            for (int i = WORKING_SET - 1; i > 0 && benchmark.order.equals("shuffled"); i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            missPrefix = "miss-" + Thread.currentThread().getId() + "-";
        }

        int nextIndex() {
            int i = next;
            next = i + 1 == WORKING_SET ? 0 : i + 1;
            return order[i];
        }
    }

    @Benchmark
    public String hit(Walk walk) {
        return interner.intern(probes[walk.nextIndex()]);
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public void mixed(Walk walk, org.openjdk.jmh.infra.Blackhole bh) {
        StringInterner in = interner;
        for (int k = 0; k < 9; k++) {
            bh.consume(in.intern(probes[walk.nextIndex()]));
        }
        bh.consume(in.intern(walk.missPrefix + walk.misses++));
    }
}
