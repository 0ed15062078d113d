package io.memkit.bench.report;

import io.memkit.meter.Measurement;
import io.memkit.meter.MemoryMeter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a running scenario gets from the report: its settings, a progress line writer and the
 * measuring loop shared by all in-JVM variants.
 *
 * <p>The loop, per variant: collect garbage and let direct memory settle; {@link Variant#setUp()};
 * warm up for {@link Settings#warmupMillis()} with growing batches; size a batch to about
 * {@link Settings#batchMillis()}; run {@link Settings#batches()} batches, each measured with
 * {@link MemoryMeter#measure(Runnable)} and bracketed by the collectors' counters. Heap bytes per
 * unit are the total over all batches divided by the units run (a mean, like JMH's
 * {@code gc.alloc.rate.norm}); time per unit is the median batch's.
 *
 * <p>Not thread-safe: one scenario runs at a time, and a scenario that samples on another thread
 * hands its series to {@link #addSeries} on the scenario's own thread.
 */
public final class ScenarioContext {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The extra holding the median thread CPU time per unit: steadier than wall time on a busy machine. */
    public static final String CPU_NS = "cpuNsPerUnit";

    private final Settings settings;
    private final Consumer<String> progress;
    private final String prefix;
    private final List<LineChart> charts = new ArrayList<>();
    private final List<DataTable> tables = new ArrayList<>();

    /**
     * Creates a context.
     *
     * @param settings how long to warm up and measure
     * @param progress where progress lines go (stderr in the report, nowhere in tests)
     * @param prefix   put before each progress line, e.g. {@code "[2/9] parse"}
     * @throws NullPointerException if an argument is {@code null}
     */
    public ScenarioContext(Settings settings, Consumer<String> progress, String prefix) {
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        this.progress = Objects.requireNonNull(progress, "progress must not be null");
        this.prefix = Objects.requireNonNull(prefix, "prefix must not be null");
    }

    /**
     * The settings of this run.
     *
     * @return warm-up and batch settings
     */
    public Settings settings() {
        return settings;
    }

    /**
     * Writes one progress line, prefixed with the scenario's position and id.
     *
     * @param what what the scenario is doing now
     */
    public void progress(String what) {
        progress.accept(prefix + ": " + what);
    }

    /**
     * Adds a series to a line chart of this scenario's result: the first series under a chart id
     * creates the chart, later ones join it (so each variant can add its own line to one chart).
     *
     * @param chart  the chart's axes and captions ({@link LineChart#of}); any series it has are added too
     * @param series the line to add
     * @throws IllegalArgumentException if a chart with that id but other captions or units was added,
     *                                  or the chart already has a series of that name
     */
    public void addSeries(LineChart chart, LineChart.Series series) {
        Objects.requireNonNull(series, "series must not be null");
        for (int i = 0; i < charts.size(); i++) {
            LineChart known = charts.get(i);
            if (known.id().equals(chart.id())) {
                if (!known.sameAxes(chart)) {
                    throw new IllegalArgumentException("line chart '" + chart.id() + "' was added with other captions or units");
                }
                for (LineChart.Series s : chart.series()) {
                    known = known.withSeries(s);
                }
                charts.set(i, known.withSeries(series));
                return;
            }
        }
        charts.add(chart.withSeries(series));
    }

    /**
     * Attaches a whole line chart to this scenario's result.
     *
     * @param chart the chart with its series
     * @throws IllegalArgumentException if a chart with that id was already added
     */
    public void attach(LineChart chart) {
        for (LineChart known : charts) {
            if (known.id().equals(chart.id())) {
                throw new IllegalArgumentException("line chart '" + chart.id() + "' was already added");
            }
        }
        charts.add(chart);
    }

    /**
     * Attaches a text table to this scenario's result.
     *
     * @param table the table
     */
    public void attach(DataTable table) {
        tables.add(Objects.requireNonNull(table, "table must not be null"));
    }

    /**
     * Adds what was attached to this context to {@code result} and forgets it, so that a second
     * call adds nothing. {@link VariantScenario} and the report's runner call it; a scenario
     * need not.
     *
     * @param result the scenario's result
     * @return the result with the attached charts and tables
     */
    public ScenarioResult drainAttachments(ScenarioResult result) {
        ScenarioResult out = result.withAttachments(List.copyOf(charts), List.copyOf(tables));
        charts.clear();
        tables.clear();
        return out;
    }

    /**
     * Measures one variant; never throws: a failure becomes a failed result naming the exception.
     *
     * @param variant the variant
     * @return its figures, or a failed result
     */
    public VariantResult measure(Variant variant) {
        try {
            return measureOrThrow(variant);
        } catch (Exception | LinkageError | OutOfMemoryError | StackOverflowError e) {
            progress(variant.name() + ": FAILED: " + describe(e));
            return VariantResult.failed(variant.name(), variant.role(), describe(e));
        } finally {
            Sink.clear();
        }
    }

    /**
     * A one-line description of a failure: the exception's class and message, and its cause's.
     *
     * @param e the failure
     * @return for example {@code "IllegalStateException: released"}
     */
    public static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            text.append(": ").append(e.getMessage());
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            text.append(" (cause: ").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                text.append(": ").append(cause.getMessage());
            }
            text.append(')');
        }
        return text.toString().replace('\n', ' ');
    }

    private VariantResult measureOrThrow(Variant variant) throws Exception {
        settle();
        long direct0 = MemoryMeter.directBytesUsed();
        progress(variant.name() + ": setting up");
        variant.setUp();
        try {
            progress(variant.name() + ": warming up");
            int opsPerBatch = warmUp(variant);
            progress(variant.name() + ": measuring " + settings.batches() + " batches of " + opsPerBatch + " ops");
            BatchRunner runner = new BatchRunner(variant, opsPerBatch);
            long[] nanos = new long[settings.batches()];
            long[] cpu = new long[settings.batches()];
            boolean cpuKnown = THREADS.isCurrentThreadCpuTimeSupported();
            long allocated = 0;
            boolean allocationKnown = MemoryMeter.isSupported();
            long gcCount = 0;
            long gcMillis = 0;
            for (int b = 0; b < nanos.length; b++) {
                GcCounters gc0 = GcCounters.now();
                long cpu0 = cpuKnown ? THREADS.getCurrentThreadCpuTime() : 0;
                Measurement m = MemoryMeter.measure(runner);
                long cpu1 = cpuKnown ? THREADS.getCurrentThreadCpuTime() : 0;
                GcCounters gc1 = GcCounters.now();
                cpu[b] = cpu1 - cpu0;
                cpuKnown &= cpu0 >= 0 && cpu1 >= 0;
                runner.rethrow();
                nanos[b] = m.elapsedNanos();
                allocated += m.allocatedBytes();
                allocationKnown &= m.allocatedBytes() >= 0;
                gcCount += gc1.count() - gc0.count();
                gcMillis += gc1.millis() - gc0.millis();
                if (b < nanos.length - 1) {
                    variant.betweenBatches();
                }
            }
            // Read before the last betweenBatches(): what the variant leaves reserved, garbage included.
            long held = variant.directBytesHeld();
            long direct = held >= 0 ? held : Math.max(0, MemoryMeter.directBytesUsed() - direct0);
            variant.betweenBatches();
            Sink.publish(runner.checksum);
            double units = (double) opsPerBatch * nanos.length * variant.unitsPerOp();
            double bytesPerUnit = allocationKnown ? allocated / units : Double.NaN;
            Arrays.sort(nanos);
            double nsPerUnit = nanos[nanos.length / 2] / ((double) opsPerBatch * variant.unitsPerOp());
            Map<String, Double> extras = new LinkedHashMap<>();
            if (cpuKnown) {
                Arrays.sort(cpu);
                extras.put(CPU_NS, cpu[cpu.length / 2] / ((double) opsPerBatch * variant.unitsPerOp()));
            }
            extras.putAll(variant.afterBatches(this));
            Double retained = extras.get(Variant.RETAINED_BYTES);
            if (retained != null) {
                extras.put(Variant.ALLOCATED_BYTES, bytesPerUnit);
                bytesPerUnit = retained;
            }
            return new VariantResult(variant.name(), variant.role(), bytesPerUnit, nsPerUnit, gcCount, gcMillis, direct,
                    (long) units, extras, null);
        } finally {
            variant.tearDown();
        }
    }

    /**
     * Runs growing batches for the warm-up time, and on (up to four times as long) while the JIT
     * is still compiling: on a busy machine the compiler threads lag, and a variant measured
     * before its loop is compiled would look many times slower than it is. Returns a batch size
     * that takes about batchMillis.
     */
    private int warmUp(Variant variant) throws Exception {
        long warmupNanos = settings.warmupMillis() * 1_000_000L;
        long batchNanos = settings.batchMillis() * 1_000_000L;
        int cap = Math.max(1, variant.maxOpsPerBatch());
        long start = System.nanoTime();
        int ops = 1;
        // The batch size comes from the fastest of the last three warm-up batches: one batch slowed by a
        // collection or a busy machine must not shrink every measured batch.
        double[] recent = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        int round = 0;
        long checksum = 0;
        long compiled = compilationMillis();
        while (true) {
            long t0 = System.nanoTime();
            checksum += variant.batch(ops);
            long t1 = System.nanoTime();
            recent[round++ % recent.length] = (double) Math.max(1, t1 - t0) / ops;
            variant.betweenBatches();
            long compiledNow = compilationMillis();
            boolean compiling = compiledNow != compiled;
            compiled = compiledNow;
            long elapsed = t1 - start;
            if (elapsed >= warmupNanos && (!compiling || elapsed >= 4 * warmupNanos)) {
                break;
            }
            if ((t1 - t0) * 2 < batchNanos && ops < cap) {
                ops = (int) Math.min(cap, ops * 2L);
            }
        }
        Sink.publish(checksum);
        double nsPerOp = Math.min(recent[0], Math.min(recent[1], recent[2]));
        return (int) Math.max(1, Math.min(cap, batchNanos / nsPerOp));
    }

    /** Total JIT compilation time so far, or -1 where the JVM does not say. */
    private static long compilationMillis() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /**
     * Collects garbage and waits (bounded, about half a second at most) until direct memory
     * stops shrinking, so that one variant's garbage and unreleased direct buffers are not
     * charged to the next.
     */
    public void settle() {
        long before = MemoryMeter.directBytesUsed();
        for (int i = 0; i < 25; i++) {
            System.gc();
            sleepQuietly(20);
            long now = MemoryMeter.directBytesUsed();
            if (now == before && i >= 1) {
                return;
            }
            before = now;
        }
    }

    /**
     * Heap in use after a few full collections: what is reachable now, for retained-heap figures.
     *
     * @return bytes of heap in use after collecting, the smallest of a few readings
     */
    public long usedHeapAfterGc() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            sleepQuietly(10);
            min = Math.min(min, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return min;
    }

    /**
     * Heap retained by what {@code build} returns: builds {@code copies} of it, holds them all, and
     * compares heap in use after full collections with and without them.
     *
     * @param build  makes one object graph (e.g. a filled collection)
     * @param copies how many to hold at once, so that the difference stands well above GC noise
     * @return retained bytes per copy (never negative)
     * @throws IllegalArgumentException if {@code copies} is not positive
     */
    public double retainedBytes(java.util.function.Supplier<Object> build, int copies) {
        if (copies <= 0) {
            throw new IllegalArgumentException("copies must be positive: " + copies);
        }
        Object[] held = new Object[copies];
        long base = usedHeapAfterGc();
        for (int i = 0; i < copies; i++) {
            held[i] = build.get();
        }
        long used = usedHeapAfterGc();
        Sink.publish(java.util.Objects.hashCode(held[copies - 1]));
        java.lang.ref.Reference.reachabilityFence(held);
        return Math.max(0, used - base) / (double) copies;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The measured block: runs one batch, keeping its checksum and any exception for after the measurement. */
    private static final class BatchRunner implements Runnable {
        private final Variant variant;
        private final int ops;
        long checksum;
        private Exception failure;

        BatchRunner(Variant variant, int ops) {
            this.variant = variant;
            this.ops = ops;
        }

        @Override
        public void run() {
            try {
                checksum += variant.batch(ops);
            } catch (Exception e) {
                failure = e;
            }
        }

        void rethrow() throws Exception {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
