package io.memkit.junit;

import io.memkit.meter.AllocationReport;
import io.memkit.meter.AllocationSites;
import io.memkit.meter.MemoryMeter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;

/**
 * Warms a call up, measures one invocation with {@link MemoryMeter} and fails it with the figure and
 * the top allocation sites when it is over budget. Stateless; runs on the calling thread.
 */
final class BudgetCheck {
    /** Measurement rounds at most: the JIT may need more than one warm-up to compile the method. */
    static final int ROUNDS = 5;
    /** Bytes to allocate under the JFR recording so that the sampler sees enough TLAB refills. */
    private static final long SITES_BYTES = 64L << 20;
    private static final long SITES_NANOS = 2_000_000_000L;
    private static final int SITES_SHOWN = 5;
    private static final int SITES_DEPTH = 3;
    /** Thread.isVirtual() (JDK 21+), or null before it existed. */
    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    private BudgetCheck() {
    }

    /**
     * Runs {@code call} {@code warmup} times and measures the next invocation, up to {@link #ROUNDS}
     * rounds until one is within {@code budget}.
     *
     * @throws AssertionError if no round was within budget, or the thread's allocations cannot be counted
     * @throws Thrown         wrapping a checked exception the method threw
     */
    static void enforce(String name, long budget, int warmup, Call call) {
        if (isVirtual(Thread.currentThread())) {
            throw new AssertionError(name + ": @AllocationBudget cannot measure on a virtual thread (\""
                    + Thread.currentThread() + "\"): the JVM keeps no per-thread allocation counter for virtual "
                    + "threads; run this test on a platform thread");
        }
        if (!MemoryMeter.isSupported()) {
            throw new AssertionError(name + ": @AllocationBudget cannot measure: this JVM has no per-thread "
                    + "allocation counter");
        }
        int rounds = warmup == 0 ? 1 : ROUNDS;
        long[] seen = new long[rounds];
        long best = Long.MAX_VALUE;
        int done = 0;
        while (done < rounds) {
            for (int i = 0; i < warmup; i++) {
                call.run();
            }
            long bytes = MemoryMeter.measure(call).allocatedBytes();
            if (bytes < 0) {
                throw new AssertionError(name + ": @AllocationBudget cannot measure on thread \""
                        + Thread.currentThread() + "\": the JVM gave no allocation count for it (a virtual thread?)");
            }
            seen[done++] = bytes;
            best = Math.min(best, bytes);
            if (best <= budget) {
                return;
            }
        }
        throw new AssertionError(message(name, budget, warmup, seen, done, best) + sites(call, best));
    }

    private static String message(String name, long budget, int warmup, long[] seen, int rounds, long best) {
        StringBuilder each = new StringBuilder();
        for (int i = 0; i < rounds; i++) {
            each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,d", seen[i]));
        }
        return String.format(Locale.ROOT, "%s allocated %,d bytes per invocation, over its budget of %,d bytes "
                + "(measured after %,d warm-up invocation(s); %s: %s B)", name, best, budget, warmup,
                rounds == 1 ? "one round" : "the smallest of " + rounds + " rounds", each);
    }

    /** The top sites from a JFR recording of more invocations; a note instead where JFR is unavailable. */
    private static String sites(Call call, long bytesPerCall) {
        if (!AllocationSites.isSupported()) {
            return "\n(no allocation sites: JFR is not available in this runtime)";
        }
        long invocations = Math.max(1, Math.min(10_000_000L, SITES_BYTES / Math.max(1, bytesPerCall)));
        Runnable repeat = () -> {
            long start = System.nanoTime();
            for (long i = 0; i < invocations; i++) {
                call.run();
                if ((i & 63) == 0 && System.nanoTime() - start > SITES_NANOS) {
                    call.ran = i + 1;
                    return;
                }
            }
            call.ran = invocations;
        };
        try {
            AllocationReport report = AllocationSites.record(repeat, SITES_DEPTH);
            return String.format(Locale.ROOT, "%nTop allocation sites (JFR samples over %,d more invocations; "
                    + "estimates):%n%s", call.ran, report.format(SITES_SHOWN));
        } catch (RuntimeException e) {
            return "\n(no allocation sites: " + e + ")";
        }
    }

    private static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /** The test method bound to its instance and arguments: {@code ()void}. */
    static final class Call implements Runnable {
        private final MethodHandle handle;
        /** Invocations the sites recording made; written and read on the test's thread. */
        long ran;

        Call(MethodHandle handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            try {
                handle.invokeExact();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new Thrown(e);
            }
        }
    }

    /** Carries a checked exception of the test method out through {@link Runnable}. */
    static final class Thrown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Thrown(Throwable cause) {
            super(cause);
        }
    }
}
