package io.memkit.pools.internal;

import io.memkit.meter.Instrumented;
import io.memkit.meter.Instruments;
import io.memkit.pools.BufferPool;
import io.memkit.pools.BufferPoolStats;
import io.memkit.pools.ObjectPool;
import io.memkit.pools.ObjectPoolStats;

/**
 * The pools' JDK Flight Recorder events: {@code io.memkit.LeakDetected},
 * {@code io.memkit.PoolExhausted} and the periodic {@code io.memkit.PoolStatistics}.
 *
 * <p>Only cold paths call in here (a leak found, an acquire refused or made to wait); the
 * acquire and release paths never touch an event, so a disabled event costs them nothing. Where
 * the runtime has no {@code jdk.jfr} module (the pools module only {@code requires static} it),
 * every method does nothing and no event class is loaded. Thread-safe.
 */
public final class PoolEvents {

    private static final boolean JFR = jfrPresent();

    private PoolEvents() {
    }

    /**
     * Registers the periodic statistics event once per JVM, as soon as Flight Recorder is
     * initialized (by a recording); pools call it when they are built. Idempotent and cheap.
     */
    public static void registerPeriodic() {
        if (JFR) {
            Jfr.registerPeriodic();
        }
    }

    /**
     * Records a leak: a handle collected without being closed.
     *
     * @param pool       the pool's name
     * @param type       {@code "BufferPool"} or {@code "ObjectPool"}
     * @param capacity   the lease's capacity in bytes, or 0 for an object
     * @param threadName the thread that acquired it
     * @param acquiredAt where it was acquired, or an empty array
     * @param reclaimed  whether the pool took the memory or object back
     */
    public static void leakDetected(String pool, String type, long capacity, String threadName,
            StackTraceElement[] acquiredAt, boolean reclaimed) {
        if (JFR) {
            Jfr.leakDetected(pool, type, capacity, threadName, acquiredAt, reclaimed);
        }
    }

    /**
     * Records an acquire that found the pool exhausted, whether it then failed or, having waited,
     * succeeded.
     *
     * @param pool        the pool's name
     * @param type        {@code "BufferPool"} or {@code "ObjectPool"}
     * @param requested   the bytes asked for, or 1 for an object
     * @param policy      the exhaustion policy, {@code "FAIL"} or {@code "WAIT"}
     * @param waitedNanos how long the acquire waited
     * @param failed      whether it gave up (threw) rather than got what it asked for
     */
    public static void exhausted(String pool, String type, long requested, String policy, long waitedNanos,
            boolean failed) {
        if (JFR) {
            Jfr.exhausted(pool, type, requested, policy, waitedNanos, failed);
        }
    }

    private static boolean jfrPresent() {
        try {
            Class.forName("jdk.jfr.FlightRecorder", false, PoolEvents.class.getClassLoader());
            return PoolEvents.class.getModule().isNamed()
                    ? ModuleLayer.boot().findModule("jdk.jfr").isPresent()
                    : true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Everything that names a JFR type; loaded only where jdk.jfr is present. */
    private static final class Jfr {
        private static final java.util.concurrent.atomic.AtomicBoolean REGISTERED =
                new java.util.concurrent.atomic.AtomicBoolean();

        static void registerPeriodic() {
            if (!REGISTERED.get() && REGISTERED.compareAndSet(false, true)) {
                // Registering an event type initializes Flight Recorder, which takes a few hundred
                // milliseconds: wait until something else (a recording) has initialized it.
                if (jdk.jfr.FlightRecorder.isInitialized()) {
                    addPeriodic();
                } else {
                    jdk.jfr.FlightRecorder.addListener(new jdk.jfr.FlightRecorderListener() {
                        @Override
                        public void recorderInitialized(jdk.jfr.FlightRecorder recorder) {
                            addPeriodic();
                        }
                    });
                }
            }
        }

        private static void addPeriodic() {
            jdk.jfr.FlightRecorder.addPeriodicEvent(PoolStatisticsEvent.class, Jfr::emitStatistics);
        }

        static void leakDetected(String pool, String type, long capacity, String threadName,
                StackTraceElement[] acquiredAt, boolean reclaimed) {
            LeakDetectedEvent e = new LeakDetectedEvent();
            if (e.shouldCommit()) {
                e.pool = pool;
                e.poolType = type;
                e.capacity = capacity;
                e.acquiringThread = threadName;
                e.acquiredAt = format(acquiredAt);
                e.reclaimed = reclaimed;
                e.commit();
            }
        }

        static void exhausted(String pool, String type, long requested, String policy, long waitedNanos,
                boolean failed) {
            PoolExhaustedEvent e = new PoolExhaustedEvent();
            if (e.shouldCommit()) {
                e.pool = pool;
                e.poolType = type;
                e.requested = requested;
                e.policy = policy;
                e.waited = waitedNanos;
                e.failed = failed;
                e.commit();
            }
        }

        /** One event per live pool; runs on JFR's periodic thread, never on a pool's caller. */
        private static void emitStatistics() {
            for (Instrumented c : Instruments.all()) {
                PoolStatisticsEvent e = new PoolStatisticsEvent();
                if (c instanceof BufferPool) {
                    BufferPoolStats s = ((BufferPool) c).stats();
                    e.pool = c.name();
                    e.poolType = "BufferPool";
                    e.bytesInUse = s.bytesInUse();
                    e.bytesIdle = s.bytesIdle();
                    e.bytesReserved = s.bytesReserved();
                    e.inUse = s.liveLeases();
                    e.acquires = s.acquires();
                    e.releases = s.releases();
                    e.exhausted = s.exhausted();
                    e.leaksDetected = s.leaksDetected();
                } else if (c instanceof ObjectPool) {
                    ObjectPoolStats s = ((ObjectPool<?>) c).stats();
                    e.pool = c.name();
                    e.poolType = "ObjectPool";
                    e.inUse = s.inUse();
                    e.idle = s.idle();
                    e.acquires = s.acquires();
                    e.releases = s.releases();
                    e.exhausted = s.exhausted();
                    e.leaksDetected = s.leaksDetected();
                } else {
                    continue;
                }
                e.commit();
            }
        }

        private static String format(StackTraceElement[] frames) {
            StringBuilder sb = new StringBuilder();
            for (StackTraceElement f : frames) {
                sb.append("at ").append(f).append('\n');
            }
            return sb.toString();
        }
    }
}
