package io.memkit.weakcache;

import java.util.function.BooleanSupplier;

/** Waits for the collector, with a bound, the way every GC-dependent test here does. */
public final class Collect {
    private Collect() {
    }

    /**
     * Calls {@code System.gc()} (and {@code step} work) until {@code done} holds, at most 50 times or 10 s.
     *
     * @throws AssertionError naming {@code what} when it never holds
     */
    public static void until(String what, BooleanSupplier done, Runnable step) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int attempt = 1; attempt <= 50; attempt++) {
            System.gc();
            step.run();
            if (done.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("gave up waiting after 50 System.gc() calls or 10 s: " + what);
    }
}
