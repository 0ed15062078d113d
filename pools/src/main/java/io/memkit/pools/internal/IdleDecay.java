package io.memkit.pools.internal;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Idle decay of one pool: every half {@code idleTimeout} the pool gives back what no acquire used
 * during the last two halves, so memory (or objects) idle for a whole timeout go back at most one
 * and a half timeouts after the pool stopped needing them, while the working set of a busy pool
 * stays put.
 *
 * <p>Nothing of it runs on the acquire and release paths. One daemon thread, shared by every pool
 * of the JVM and started on first use, polls each pool's decay every eighth of its timeout (at
 * least every millisecond, at most every second), which reads the pool's clock and runs a
 * {@link Target#decayStep()} when half a timeout has passed since the last one; so a pool that
 * went fully quiet still shrinks. The thread holds pools weakly (a dropped pool is collected as if
 * it did not exist), runs with no context class loader and no inherited thread-locals, and ends a
 * few seconds after the last pool with decay is closed or collected.
 *
 * <p>The clock is injectable so that tests drive idle time without sleeping: they call
 * {@link #poll()} after moving their clock. Thread-safe.
 */
final class IdleDecay {
    /**
     * Both pools' default timeout: long enough that a load recurring more than about twice a
     * minute keeps its memory (re-making it costs system calls and page faults, and before JDK 22
     * dropped direct memory stays counted against {@code -XX:MaxDirectMemorySize} until a
     * collection frees it), short enough that a one-off burst's memory is back within a minute.
     */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** How often the shared thread polls a pool, per timeout. */
    private static final int POLLS_PER_TIMEOUT = 8;
    private static final long MIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final System.Logger LOG = System.getLogger("io.memkit.pools");
    private static final AtomicLong THREADS = new AtomicLong();
    private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

    /** What decays: a pool. */
    interface Target {
        /**
         * Gives back what no acquire used since the step before the previous one. Called by one
         * thread at a time; must not wait for locks that user paths hold for long.
         */
        void decayStep();

        /**
         * Whether the pool is closed: its decay then stops for good.
         *
         * @return {@code true} once closed
         */
        boolean isClosed();
    }

    private final Target target;
    private final long halfNanos;
    private final LongSupplier clock;
    /** Serializes polls: the shared thread's and a test's. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The clock at the last step; guarded by lock. */
    private long lastStep;
    /** Steps run so far; guarded by lock, read racily by tests. */
    private volatile long steps;

    private IdleDecay(Target target, Duration timeout, LongSupplier clock) {
        this.target = target;
        this.halfNanos = Math.max(1, ReleaseSignal.nanos(timeout) / 2);
        this.clock = clock;
        this.lastStep = clock.getAsLong();
    }

    /**
     * Starts decay for a pool, or nothing if {@code timeout} is zero. The pool must hold the
     * returned object in a field for as long as it lives (the shared thread holds it weakly).
     *
     * @param target  the pool
     * @param timeout the idle timeout; {@link Duration#ZERO} for none
     * @param clock   nanoseconds, {@link System#nanoTime()} outside tests
     * @return the pool's decay, or {@code null} if off
     */
    static IdleDecay start(Target target, Duration timeout, LongSupplier clock) {
        if (timeout.isZero()) {
            return null;
        }
        IdleDecay decay = new IdleDecay(target, timeout, clock);
        long every = Math.max(MIN_POLL_NANOS, Math.min(MAX_POLL_NANOS, ReleaseSignal.nanos(timeout) / POLLS_PER_TIMEOUT));
        Poller poller = new Poller(decay);
        poller.future = SCHEDULER.scheduleWithFixedDelay(poller, every, every, TimeUnit.NANOSECONDS);
        return decay;
    }

    /**
     * Checks an idle timeout given to a builder.
     *
     * @param timeout the timeout
     * @return {@code timeout}
     * @throws NullPointerException     if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    static Duration checkTimeout(Duration timeout) {
        return BuilderChecks.duration("idleTimeout", timeout, " (ZERO turns decay off)");
    }

    /**
     * Runs a decay step if half a timeout has passed on the clock since the last one; skips if
     * another poll is running.
     *
     * @return {@code true} if a step ran
     */
    boolean poll() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            long now = clock.getAsLong();
            if (now - lastStep < halfNanos || target.isClosed()) {
                return false;
            }
            lastStep = now;
            target.decayStep();
            steps++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Steps run so far.
     *
     * @return the count
     */
    long steps() {
        return steps;
    }

    private static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(null, r, "memkit-pool-decay-" + THREADS.incrementAndGet(), 0, false);
            t.setDaemon(true);
            t.setContextClassLoader(null);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        s.setKeepAliveTime(5, TimeUnit.SECONDS);
        s.allowCoreThreadTimeOut(true);
        return s;
    }

    /** The shared thread's periodic task for one pool, holding it weakly. */
    private static final class Poller implements Runnable {
        private final WeakReference<IdleDecay> decay;
        volatile ScheduledFuture<?> future;

        Poller(IdleDecay decay) {
            this.decay = new WeakReference<>(decay);
        }

        @Override
        public void run() {
            IdleDecay d = decay.get();
            if (d == null || d.target.isClosed()) {
                ScheduledFuture<?> f = future;
                if (f != null) {
                    f.cancel(false);
                }
                return;
            }
            try {
                d.poll();
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable t) {
                // A failed step must not cancel the pool's decay for good: the next poll retries.
                LOG.log(System.Logger.Level.WARNING, "idle decay of " + d.target + " failed; retried on the next poll", t);
            }
        }
    }
}
