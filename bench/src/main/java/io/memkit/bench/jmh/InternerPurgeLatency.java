package io.memkit.bench.jmh;

import io.memkit.weakcache.Interner;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The cost of purging: intern 1,000,000 strings, drop them, let the collector clear them, then
 * time every one of the following intern calls (90% hits on a live working set of 10,000 strings,
 * looked up with equal copies, and 10% misses with new strings), and report the slowest call and
 * the 99.9th percentile.
 *
 * <p>memkit expunges on its own expunger thread after the collection, so its backlog may be gone
 * (or going, concurrently with the timed calls) by the time the calls start; "size before" shows
 * how much was left. The result to read is that no call pays for it.
 *
 * <p>Each call is timed twice: wall-clock ({@code System.nanoTime}) and the calling thread's CPU
 * time ({@code ThreadMXBean.getCurrentThreadCpuTime}). On a busy machine the wall-clock maximum
 * includes the thread being descheduled; the CPU-time maximum is the call's own work. Collections
 * during the timed phase are counted and printed (the inputs are made before it, so it allocates
 * little). Rounds 1 and 2 warm up the JIT; round 3 is the result.
 *
 * <p>Run: {@code java -Xms2g -Xmx2g -cp bench/target/memkit-bench.jar io.memkit.bench.jmh.InternerPurgeLatency [impl...]}
 * (impls: memkit, caffeine, guava, and baseline, which times an identity function the same way
 * and so shows the machine's own noise floor; default all, one after the other in this JVM; run
 * one per JVM for isolation).
 */
public final class InternerPurgeLatency {
    static final int DEAD = 1_000_000;
    static final int LIVE = 10_000;
    static final int CALLS = 200_000;

    private InternerPurgeLatency() {
    }

    /**
     * Runs the scenario and prints one line per implementation and round.
     *
     * @param args implementation names
     * @throws InterruptedException if interrupted while the collector catches up
     */
    public static void main(String[] args) throws InterruptedException {
        String[] impls = args.length > 0 ? args : new String[] {"memkit", "caffeine", "guava", "baseline"};
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "intern latency after %,d dropped entries were collected; %,d calls timed (JDK %s)%n",
                DEAD, CALLS, System.getProperty("java.version"));
        for (String impl : impls) {
            for (int round = 1; round <= 3; round++) {
                run(impl, round, threads);
            }
        }
    }

    private static void run(String impl, int round, ThreadMXBean threads) throws InterruptedException {
        Object[] holder = new Object[1];
        UnaryOperator<String> interner = impl.equals("baseline") ? s -> s : InternerFootprint.create(impl, holder);
        String[] live = new String[LIVE];
        for (int i = 0; i < LIVE; i++) {
            live[i] = interner.apply("live-" + round + "-" + i);
        }
        for (int i = 0; i < DEAD; i++) {
            interner.apply("dead-" + round + "-" + i);
        }
        String[] inputs = new String[CALLS];
        for (int i = 0; i < CALLS; i++) {
            inputs[i] = i % 10 == 9 ? "fresh-" + round + "-" + i : new String(live[(i * 7919) % LIVE].toCharArray());
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        // Benchmark, not a test: give the reference handler time to enqueue the cleared entries.
        Thread.sleep(500);
        String sizeBefore = holder[0] instanceof Interner ? Integer.toString(((Interner<?>) holder[0]).size()) : "n/a";
        long[] wall = new long[CALLS];
        long[] cpu = new long[CALLS];
        long gcBefore = gcCount();
        for (int i = 0; i < CALLS; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            interner.apply(inputs[i]);
            long t1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            wall[i] = t1 - t0;
            cpu[i] = c1 - c0;
        }
        long gcs = gcCount() - gcBefore;
        long slowCalls = 0;
        for (long w : wall) {
            if (w > 1_000_000) {
                slowCalls++;
            }
        }
        long firstCall = wall[0];
        Arrays.sort(wall);
        Arrays.sort(cpu);
        String size = holder[0] instanceof Interner ? Integer.toString(((Interner<?>) holder[0]).size()) : "n/a";
        System.out.printf(Locale.ROOT,
                "%-9s round %d  wall: max %8.3f ms  p99.9 %7.1f us  p99 %6.1f us  median %5.2f us  first call %8.3f ms  calls > 1 ms %d"
                        + "  |  cpu: max %8.3f ms  p99.9 %7.1f us  |  GCs during timing %d  size before %s after %s%n",
                impl, round, wall[CALLS - 1] / 1e6, percentile(wall, 0.999) / 1e3, percentile(wall, 0.99) / 1e3,
                percentile(wall, 0.5) / 1e3, firstCall / 1e6, slowCalls, cpu[CALLS - 1] / 1e6,
                percentile(cpu, 0.999) / 1e3, gcs, sizeBefore, size);
        java.lang.ref.Reference.reachabilityFence(live);
        java.lang.ref.Reference.reachabilityFence(holder);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }
}
