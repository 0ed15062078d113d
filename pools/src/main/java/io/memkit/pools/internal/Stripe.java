package io.memkit.pools.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before a stripe's hot fields, so that stripes never share a cache line. */
abstract class StripePadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}

/** A stripe's hot fields: the guard, the magazines it guards and the counters it keeps. */
abstract class StripeFields extends StripePadBefore {
    /** 0 free, 1 held; CAS to take, release store to give back. */
    volatile int guard;
    /** Guarded: pooled acquires served by this stripe's magazines. */
    long hits;
    /** Guarded: leases whose block was cached in this stripe's magazines. */
    long releases;
    /** Guarded: bytes of blocks taken minus bytes of blocks returned here; may be negative. */
    long inUseBytes;
    /** Per size class, created on first release; guarded. */
    final Magazine[] magazines;

    StripeFields(int classes) {
        this.magazines = new Magazine[classes];
    }
}

/**
 * One of {@link io.memkit.meter.internal.Stripes#COUNT} independent caches of a
 * {@link MagazineCache}: a magazine per size class and counters, all under one CAS guard. Threads
 * pick their stripe from their id, so a few threads share each stripe and the guard is almost never
 * contended. The fast paths only {@link #tryGuard()} and fall back to the shared layers when the
 * guard is held; only maintenance (trim, close, stats) spins on it ({@link #guardSpinning()}), and
 * guarded sections never block.
 *
 * <p>The counters are plain fields written only under the guard the operation holds anyway, so
 * counting adds no atomic instruction to the hit path; they are summed on read, under each guard.
 */
final class Stripe extends StripeFields {
    private static final VarHandle GUARD;

    static {
        try {
            GUARD = MethodHandles.lookup().findVarHandle(StripeFields.class, "guard", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;

    Stripe(int classes) {
        super(classes);
    }

    /**
     * Takes the guard if it is free.
     *
     * @return {@code true} if taken
     */
    boolean tryGuard() {
        return guard == 0 && GUARD.compareAndSet(this, 0, 1);
    }

    /** Takes the guard, spinning: for maintenance only (guarded sections are short and never block). */
    void guardSpinning() {
        while (!tryGuard()) {
            Thread.onSpinWait();
        }
    }

    /** Gives the guard back (release store: orders the guarded writes before the next holder). */
    void unguard() {
        GUARD.setRelease(this, 0);
    }
}
