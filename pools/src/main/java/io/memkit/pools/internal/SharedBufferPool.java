package io.memkit.pools.internal;

import io.memkit.pools.BufferPool;
import io.memkit.pools.LeakDetection;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Builds and holds {@link BufferPool#shared()}, configured by the system properties
 * {@value #MAX_BYTES}, {@value #MAX_POOLED_CAPACITY}, {@value #LEAK_DETECTION} and
 * {@value #IDLE_TIMEOUT}.
 */
public final class SharedBufferPool {

    /** Cap on direct memory of the shared pool, e.g. {@code 512m}; default {@link DirectMemoryLimit#defaultCap()}. */
    public static final String MAX_BYTES = "io.memkit.pool.maxBytes";
    /** Largest pooled request of the shared pool, e.g. {@code 1m}; default 1 MiB. */
    public static final String MAX_POOLED_CAPACITY = "io.memkit.pool.maxPooledCapacity";
    /** Leak detection of the shared pool: OFF, SAMPLED or PARANOID; default SAMPLED. */
    public static final String LEAK_DETECTION = "io.memkit.pool.leakDetection";

    /** Idle timeout of the shared pool in ISO-8601 ({@code PT30S}) or {@code 500ms}, {@code 30s}, {@code 2m}; 0 turns decay off. */
    public static final String IDLE_TIMEOUT = "io.memkit.pool.idleTimeout";

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile BufferPool instance;

    private SharedBufferPool() {
    }

    /**
     * The shared pool, built on first call.
     *
     * @return the pool
     * @throws IllegalArgumentException if a property is invalid
     */
    public static BufferPool get() {
        BufferPool p = instance;
        if (p != null) {
            return p;
        }
        LOCK.lock();
        try {
            if (instance == null) {
                instance = DirectBufferPool.create(configure(new BufferPoolBuilder().name("shared")), true);
            }
            return instance;
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Applies the system properties to a builder.
     *
     * @param b the builder
     * @return the builder
     * @throws IllegalArgumentException if a property is invalid; the message names it and its value
     */
    static BufferPoolBuilder configure(BufferPoolBuilder b) {
        String maxBytes = System.getProperty(MAX_BYTES);
        if (maxBytes != null) {
            b.maxBytes(parseBytes(MAX_BYTES, maxBytes, 1, Long.MAX_VALUE));
        }
        String maxPooled = System.getProperty(MAX_POOLED_CAPACITY);
        if (maxPooled != null) {
            b.maxPooledCapacity((int) parseBytes(MAX_POOLED_CAPACITY, maxPooled, 0, SizeClasses.MAX_CAPACITY));
        }
        String leaks = System.getProperty(LEAK_DETECTION);
        if (leaks != null) {
            try {
                b.leakDetection(LeakDetection.valueOf(leaks.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("system property " + LEAK_DETECTION + " must be OFF, SAMPLED or "
                        + "PARANOID: '" + leaks + "'", e);
            }
        }
        String idle = System.getProperty(IDLE_TIMEOUT);
        if (idle != null) {
            b.idleTimeout(parseDuration(IDLE_TIMEOUT, idle));
        }
        return b;
    }

    /**
     * Parses a duration: ISO-8601 ({@code PT30S}), or a count with a unit {@code ms}, {@code s}
     * or {@code m}, or {@code 0}.
     *
     * @param property the property, for messages
     * @param value    the text
     * @return the duration, {@code >= 0}
     * @throws IllegalArgumentException if the text is not such a duration; the message names the
     *                                  property and the text
     */
    static Duration parseDuration(String property, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (v.startsWith("p") || v.startsWith("-p")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            } else if (v.equals("0")) {
                d = Duration.ZERO;
            } else {
                throw new IllegalArgumentException("no unit");
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("system property " + property + " must be a duration >= 0 such as "
                    + "500ms, 30s, 2m, PT30S or 0: '" + value + "'", e);
        }
    }

    /**
     * Parses a byte count with an optional binary suffix {@code k}, {@code m} or {@code g}.
     *
     * @param property the property, for messages
     * @param value    the text, e.g. {@code 512m}
     * @param min      the smallest value allowed
     * @param max      the largest value allowed
     * @return the bytes
     * @throws IllegalArgumentException if the text is not a count in {@code [min, max]}; the message
     *                                  names the property and the text
     */
    static long parseBytes(String property, String value, long min, long max) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!v.isEmpty()) {
            char unit = v.charAt(v.length() - 1);
            shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : 0;
            if (shift != 0) {
                v = v.substring(0, v.length() - 1).trim();
            }
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + property + " must be a byte count such as "
                    + "65536, 64k, 512m or 2g: '" + value + "'", e);
        }
        if (n < 0 || n > (max >> shift) || (n << shift) < min) {
            throw new IllegalArgumentException("system property " + property + " must be between " + min + " and "
                    + max + " bytes: '" + value + "'");
        }
        return n << shift;
    }
}
