package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.Scenario;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.ScenarioResult;
import io.memkit.bench.report.Sink;
import io.memkit.bench.report.Variant;
import io.memkit.bench.report.VariantResult;
import io.memkit.meter.HeapGrowth;
import io.memkit.pools.BufferPool;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.LeakReport;
import io.memkit.pools.LeaseInfo;
import io.memkit.pools.PooledBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A leak hunt: a {@link BufferPool} with {@link LeakDetection#PARANOID} detection, three leases
 * leaked on purpose and one left open; the scenario prints the {@link LeakReport}s memkit produces
 * (where each lease was acquired, and whether its memory could be reclaimed), then
 * {@code outstanding()} and the pool's counters. Its rows measure what each detection level costs
 * per acquire+close. The notes end with a leak in ordinary objects (a growing {@code List} in a static
 * field) found by {@link HeapGrowth}, from heap histograms, without a heap dump.
 */
public final class LeakHuntScenario implements Scenario {
    /** Bytes per lease. */
    public static final int SIZE = 4096;
    private static final int FRAMES = 4;
    /** The planted heap leak: every handled request's session, kept forever in a static list. */
    private static final List<Session> SESSIONS = new ArrayList<>();

    @Override
    public String id() {
        return "leak-hunt";
    }

    @Override
    public String title() {
        return "Leak hunt with PARANOID detection";
    }

    @Override
    public String description() {
        return "A BufferPool with leak detection PARANOID; two leases are dropped without close() after use through a "
                + "Slice, one after its raw ByteBuffer escaped, and one is left open. The notes show the leak reports "
                + "memkit produced (the acquiring stack, and whether the memory was reclaimed or must stay quarantined), "
                + "outstanding() and the pool's counters. The rows give the cost of acquire+close of " + SIZE
                + " B (as in the pool scenario, which also has OFF) with SAMPLED detection (the default: about 1 lease in "
                + "128 tracked) and with PARANOID (every lease, with its stack). Last, a heap leak of ordinary objects "
                + "(each request's Session kept in a static List) found by HeapGrowth: the classes whose live counts, from "
                + "heap histograms after full GCs, grew in proportion to the requests.";
    }

    @Override
    public String unit() {
        return "acquire+close";
    }

    @Override
    public ScenarioResult run(ScenarioContext context) {
        long t0 = System.nanoTime();
        List<VariantResult> results = new ArrayList<>();
        // No OFF row here: OFF is in the pool scenario, measured before SAMPLED ran the tracking path (see
        // PoolScenario.variants); measured after it, its figures would carry SAMPLED's profile.
        results.add(context.measure(new AcquireClose(LeakDetection.SAMPLED, Role.REFERENCE)));
        results.add(context.measure(new AcquireClose(LeakDetection.PARANOID, Role.MEMKIT)));
        context.progress("leaking 3 leases on purpose and waiting for the leak reports");
        String notes;
        try {
            notes = hunt(context);
        } catch (RuntimeException e) {
            notes = "leak hunt FAILED: " + ScenarioContext.describe(e) + "\n";
            context.progress(notes.trim());
        }
        context.progress("hunting a heap leak with heap histograms (4 full GCs)");
        try {
            notes += heapGrowth(context.settings().quick() ? 2_000 : 10_000);
        } catch (RuntimeException e) {
            notes += "heap growth FAILED: " + ScenarioContext.describe(e) + "\n";
            context.progress("heap growth FAILED: " + ScenarioContext.describe(e));
        } finally {
            SESSIONS.clear();
        }
        return new ScenarioResult(id(), title(), description(), unit(), bytesLabel(), results, notes, null,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Acquire+close of one lease per op, at one detection level. */
    static final class AcquireClose extends Variant {
        private final LeakDetection level;
        private BufferPool pool;

        AcquireClose(LeakDetection level, Role role) {
            super("BufferPool, leak detection " + level, role);
            this.level = level;
        }

        @Override
        public void setUp() {
            pool = BufferPool.builder().name("leak-cost-" + level.name().toLowerCase(Locale.ROOT)).leakDetection(level).build();
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int i = 0; i < ops; i++) {
                try (PooledBuffer lease = pool.acquire(SIZE)) {
                    sum += lease.refCount();
                }
            }
            return sum;
        }

        @Override
        public long directBytesHeld() {
            return pool.stats().bytesReserved();
        }

        @Override
        public void tearDown() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    private static String hunt(ScenarioContext context) {
        List<LeakReport> reports = new CopyOnWriteArrayList<>();
        StringBuilder out = new StringBuilder();
        try (BufferPool pool = BufferPool.builder().name("leak-hunt").leakDetection(LeakDetection.PARANOID)
                .leakListener(reports::add).build()) {
            leakAfterSliceUse(pool, 1);
            leakAfterSliceUse(pool, 2);
            leakAfterByteBufferEscaped(pool);
            PooledBuffer inFlight = pool.acquire(1024);
            long start = System.nanoTime();
            int rounds = 0;
            while (reports.size() < 3 && rounds < 50 && System.nanoTime() - start < 10_000_000_000L) {
                System.gc();
                rounds++;
                pool.stats(); // the pool looks for collected leases on use; stats() is a use
                if (reports.size() < 3) {
                    sleep(20);
                }
            }
            out.append(String.format(Locale.ROOT, "Pool \"leak-hunt\", leak detection PARANOID. Leaked 3 leases on purpose; "
                    + "%d leak report(s) after %d GC round(s), %.2f s:%n", reports.size(), rounds,
                    (System.nanoTime() - start) / 1e9));
            int n = 0;
            for (LeakReport r : reports) {
                out.append(String.format(Locale.ROOT, "  leak %d: pool %s, %,d B, %s; acquired at:%n", ++n, r.poolName(),
                        r.capacity(), r.reclaimed() ? "memory reclaimed (no raw ByteBuffer had escaped)"
                                : "memory quarantined (a raw ByteBuffer view had escaped)"));
                frames(out, r.acquiredAt());
            }
            if (reports.size() < 3) {
                out.append("  (fewer reports than leaks within 50 GC rounds / 10 s: the collector had not yet cleared them)\n");
            }
            List<LeaseInfo> open = pool.outstanding();
            out.append(String.format(Locale.ROOT, "outstanding(): %d lease(s) still open%n", open.size()));
            for (LeaseInfo info : open) {
                out.append(String.format(Locale.ROOT, "  %,d B, age %d ms, thread \"%s\"; acquired at:%n", info.capacity(),
                        info.age().toMillis(), info.threadName()));
                frames(out, info.acquiredAt());
            }
            out.append("counters:\n ");
            int width = 1;
            for (Map.Entry<String, Long> c : pool.counters().entrySet()) {
                String item = " " + c.getKey() + "=" + c.getValue();
                if (width + item.length() > 90) {
                    out.append("\n ");
                    width = 1;
                }
                out.append(item);
                width += item.length();
            }
            out.append('\n');
            inFlight.close();
        }
        return out.toString();
    }

    /** One request's state, which the buggy handler below never lets go of. */
    record Session(int id, String user, long startedNanos) {
    }

    /** The bug: a request handler that registers its session and never removes it. */
    private static void handleRequest(int id) {
        SESSIONS.add(new Session(id, "user-" + id, System.nanoTime()));
    }

    /** Finds the planted leak as objgraph's show_growth would: counts per class that grow with the runs. */
    private static String heapGrowth(int requests) {
        int[] next = {0};
        HeapGrowth growth = HeapGrowth.measure(requests, () -> handleRequest(next[0]++));
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nHeap growth (HeapGrowth.measure, histograms after full GCs): a request "
                + "handler that keeps each Session in a static List, run once, then %,d and %,d times.%n", requests,
                2 * requests));
        out.append(growth.format(6));
        out.append("classes that gained most instances, first histogram to last (objgraph's show_growth: count, gain, bytes):\n");
        out.append(growth.diff().format(5));
        out.append(String.format(Locale.ROOT, "Session instances gained over %,d requests: %,d (exact, from the "
                + "histograms).%n", 3 * requests, growth.diff().instancesDelta(Session.class)));
        return out.toString();
    }

    private static void frames(StringBuilder out, StackTraceElement[] stack) {
        int shown = Math.min(FRAMES, stack.length);
        for (int i = 0; i < shown; i++) {
            out.append("      at ").append(stack[i]).append('\n');
        }
        if (stack.length > shown) {
            out.append("      ... ").append(stack.length - shown).append(" more\n");
        }
    }

    /** The bug: a lease used through a Slice and never closed. */
    private static void leakAfterSliceUse(BufferPool pool, int request) {
        PooledBuffer lease = pool.acquire(SIZE);
        lease.slice().putInt(0, request);
        Sink.publish(lease.slice().getInt(0));
    }

    /** The same bug after the raw ByteBuffer escaped: memkit cannot prove the memory unused, so it quarantines it. */
    private static void leakAfterByteBufferEscaped(BufferPool pool) {
        PooledBuffer lease = pool.acquire(SIZE);
        lease.byteBuffer().putInt(0, 3);
        Sink.publish(lease.byteBuffer().getInt(0));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
