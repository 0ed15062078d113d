package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.LineChart;
import io.memkit.bench.report.Role;
import io.memkit.bench.report.Scenario;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.ScenarioResult;
import io.memkit.bench.report.VariantResult;
import io.memkit.weakcache.Interner;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Memory that comes back after a collection: a read-mostly program interned many strings, then
 * dropped all but 1 in 100 and stopped calling the interner. One collection clears the dropped
 * strings; the scenario then records memkit's {@code size()} every {@value #STEP_MS} ms for
 * {@value #SERIES_END_MS} ms after it, with no call on the interner and no further collection (a
 * collection per reading would stop the world the expunger runs in), and for every variant the
 * heap held right after that collection and at the end (after another one).
 *
 * <p>The series is the extras named {@code size@<t>ms}, {@code t} in ms since the collection: a
 * line over time. {@code heldMB@0ms} and {@code heldMB@<end>ms} are its two heap readings.
 */
public final class InternerExpungeScenario implements Scenario {
    /** Time between two size readings, in ms. */
    public static final long STEP_MS = 100;
    /** The last reading, in ms after the collection that cleared the dropped strings. */
    public static final long SERIES_END_MS = 3000;
    /** Prefix of the extras that hold the held-heap series, in MB (10^6 bytes). */
    public static final String HELD_PREFIX = "heldMB@";
    /** The picture: memkit's size() over time after the collection, against the live count. */
    static final LineChart SIZE = LineChart.of("size", "Interner entries after one collection, with no further calls",
            "time since the collection", "ms", "entries", "entries");
    /** Prefix of the extras that hold memkit's size() series. */
    public static final String SIZE_PREFIX = "size@";

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    @Override
    public String id() {
        return "interner-expunge";
    }

    @Override
    public String title() {
        return "Interner entries after a collection, with no further calls";
    }

    @Override
    public String description() {
        return "Intern N strings, keep 1 in 100, drop the rest and stop calling the interner; one System.gc() clears the "
                + "dropped strings. Then, with no call on the interner and no further GC, memkit's size() is read every "
                + STEP_MS + " ms (size@<t>ms, t after the collection); the heap held (live strings included) is read "
                + "right after the collection (heldMB@0ms) and after another full GC at the end (heldMB@" + SERIES_END_MS
                + "ms). memkit Interner.weak() expunges on its own expunger thread after the collection; Guava's and "
                + "Caffeine's weak interners expunge only during later calls. Bytes: heap held per dropped string at "
                + "the end. Time: ns per intern call while filling.";
    }

    @Override
    public String unit() {
        return "dropped string";
    }

    @Override
    public String bytesLabel() {
        return "heap bytes still held";
    }

    @Override
    public ScenarioResult run(ScenarioContext context) {
        long t0 = System.nanoTime();
        int dropped = context.settings().quick() ? 100_000 : 1_000_000;
        int live = dropped / 100;
        List<VariantResult> results = new ArrayList<>();
        for (String impl : new String[] {"memkit", "guava", "caffeine"}) {
            Role role = impl.equals("memkit") ? Role.MEMKIT : Role.PEER;
            String name = label(impl);
            context.progress(name + ": " + dropped + " dropped strings, held heap over time after one collection");
            try {
                results.add(measure(context, impl, name, role, dropped, live));
            } catch (RuntimeException | Error e) {
                results.add(VariantResult.failed(name, role, ScenarioContext.describe(e)));
            }
        }
        return new ScenarioResult(id(), title(), description(), unit(), bytesLabel(), results, "", null,
                (System.nanoTime() - t0) / 1e9);
    }

    private static String label(String impl) {
        switch (impl) {
            case "memkit":
                return "memkit Interner.weak()";
            case "guava":
                return "Guava weak interner";
            default:
                return "Caffeine weak interner";
        }
    }

    private static VariantResult measure(ScenarioContext context, String impl, String name, Role role,
                                         int dropped, int live) {
        context.settle();
        long base = context.usedHeapAfterGc();
        Object[] holder = new Object[1];
        UnaryOperator<String> interner = create(impl, holder);
        String[] kept = new String[live];
        long fill0 = System.nanoTime();
        for (int i = 0, k = 0; i < dropped + live; i++) {
            if (i % 101 == 100 && k < live) {
                kept[k] = interner.apply("kept-" + k);
                k++;
            } else {
                interner.apply("dropped-" + i);
            }
        }
        double fillNs = (System.nanoTime() - fill0) / (double) (dropped + live);
        Interner<?> memkit = holder[0] instanceof Interner ? (Interner<?>) holder[0] : null;
        // The collection that clears the dropped strings; nothing calls the interner after it.
        System.gc();
        long gcDone = System.nanoTime();
        Map<String, Double> extras = new LinkedHashMap<>();
        extras.put(HELD_PREFIX + "0ms", round(held(base)));
        LineChart.Series.Builder sizes = LineChart.Series.builder(name, role);
        LineChart.Series.Builder liveLine = LineChart.Series.builder("live strings", Role.REFERENCE);
        for (long at = 0; at <= SERIES_END_MS && memkit != null; at += STEP_MS) {
            sleepUntil(gcDone + TimeUnit.MILLISECONDS.toNanos(at));
            int size = memkit.size();
            extras.put(SIZE_PREFIX + at + "ms", (double) size);
            sizes.add(at, size);
            liveLine.add(at, live);
        }
        if (memkit != null) {
            context.addSeries(SIZE, sizes.build());
            context.addSeries(SIZE, liveLine.build());
        }
        sleepUntil(gcDone + TimeUnit.MILLISECONDS.toNanos(SERIES_END_MS));
        System.gc();
        double heldMb = held(base);
        extras.put(HELD_PREFIX + SERIES_END_MS + "ms", round(heldMb));
        Reference.reachabilityFence(kept);
        Reference.reachabilityFence(holder);
        Reference.reachabilityFence(interner);
        extras.put("liveStrings", (double) live);
        return new VariantResult(name, role, heldMb * 1e6 / dropped, fillNs, -1, -1, -1, dropped, extras, null);
    }

    private static double held(long base) {
        return Math.max(0, MEMORY.getHeapMemoryUsage().getUsed() - base) / 1e6;
    }

    private static double round(double mb) {
        return Math.round(mb * 100) / 100.0;
    }

    static UnaryOperator<String> create(String impl, Object[] holder) {
        switch (impl) {
            case "memkit": {
                Interner<String> memkit = Interner.weak("report-interner-expunge");
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
            default:
                throw new IllegalArgumentException("unknown implementation: " + impl);
        }
    }

    /** A benchmark's clock, not synchronization: the readings are taken at fixed times after the collection. */
    private static void sleepUntil(long deadline) {
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(String.format(Locale.ROOT, "interrupted %d ns before a reading", left), e);
            }
        }
    }
}
