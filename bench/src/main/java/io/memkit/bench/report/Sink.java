package io.memkit.bench.report;

/**
 * Where measured code puts what it produces, so that the JIT can neither drop the work nor
 * scalar-replace the objects, while the store that makes them escape almost never runs.
 *
 * <p>Like JMH's {@code Blackhole.consume(Object)}: each call steps a linear congruential
 * generator, and only when its low bits are all zero (ever more rarely: the mask grows each
 * time) is the object stored into a static field. To the JIT's escape analysis the object
 * escapes on every call; at run time there is no store and so no GC write barrier, which would
 * otherwise dominate the time of cheap operations under G1.
 *
 * <p>Not thread-safe by design (the report runs on one thread); races only perturb the generator.
 */
public final class Sink {
    private static int state = 0x9E3779B9;
    private static int mask = 1;
    private static Object kept;
    private static volatile long published;

    private Sink() {
    }

    /**
     * Makes {@code o} escape, as a program that hands it on would. O(1), allocates nothing.
     *
     * @param o any object, or {@code null}
     */
    public static void keep(Object o) {
        int s = state * 1664525 + 1013904223;
        state = s;
        if ((s & mask) == 0) {
            keepRarely(o);
        }
    }

    private static void keepRarely(Object o) {
        kept = o;
        mask = mask == 0x3FFFFFFF ? mask : (mask << 1) + 1;
    }

    /**
     * Publishes a checksum to a volatile field, so that computing it cannot be dead code.
     *
     * @param checksum any value
     */
    public static void publish(long checksum) {
        published += checksum;
    }

    /** Drops the kept object, so that a scenario's retained-heap figure starts clean. */
    public static void clear() {
        kept = null;
    }
}
