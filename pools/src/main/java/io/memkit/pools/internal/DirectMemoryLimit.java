package io.memkit.pools.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The JVM's limit on direct memory ({@code -XX:MaxDirectMemorySize}, by default the heap's
 * maximum), and the default cap of the shared pool derived from it.
 *
 * <p>The JDK keeps its own figure internal, so it is read from the option as given: the HotSpot
 * diagnostic bean where {@code jdk.management} is present, else the JVM's input arguments; where
 * neither names the option, the JDK's own default applies ({@link Runtime#maxMemory()}).
 * Stateless and thread-safe.
 */
public final class DirectMemoryLimit {

    /** The shared pool's cap never exceeds this, however large the JVM's limit. */
    static final long MAX_DEFAULT_CAP = 256L << 20;
    /** Nor falls below this, so a tiny limit still leaves a usable pool. */
    static final long MIN_DEFAULT_CAP = 4L << 20;

    private DirectMemoryLimit() {
    }

    /**
     * The JVM's limit on direct memory in bytes.
     *
     * @return {@code -XX:MaxDirectMemorySize} if set, else {@link Runtime#maxMemory()}
     */
    public static long jvmLimit() {
        long fromBean = fromDiagnosticBean();
        if (fromBean > 0) {
            return fromBean;
        }
        long fromArgs = fromArguments(inputArguments());
        return fromArgs > 0 ? fromArgs : Runtime.getRuntime().maxMemory();
    }

    /**
     * The default cap of the shared pool: three quarters of the JVM's limit, so that the JDK's own
     * direct buffers (temporary buffers of channel I/O on heap buffers, other libraries) keep a
     * quarter, and never above 256 MiB nor below 4 MiB.
     *
     * @return the default {@code maxBytes}
     */
    public static long defaultCap() {
        return defaultCap(jvmLimit());
    }

    static long defaultCap(long jvmLimit) {
        return Math.max(MIN_DEFAULT_CAP, Math.min(MAX_DEFAULT_CAP, jvmLimit / 4 * 3));
    }

    /**
     * The value of the last {@code -XX:MaxDirectMemorySize=} among JVM arguments (the JVM takes
     * the last one).
     *
     * @param arguments the JVM's arguments
     * @return the bytes, or -1 if none is given or it cannot be read
     */
    static long fromArguments(List<String> arguments) {
        long found = -1;
        String prefix = "-XX:MaxDirectMemorySize=";
        for (String a : arguments) {
            if (a.startsWith(prefix)) {
                found = parseSize(a.substring(prefix.length()));
            }
        }
        return found;
    }

    /** HotSpot's size syntax: digits with an optional k, m, g or t (either case); -1 if malformed. */
    static long parseSize(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return -1;
        }
        int shift = 0;
        char unit = v.charAt(v.length() - 1);
        if (unit == 'k' || unit == 'm' || unit == 'g' || unit == 't') {
            shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : 40;
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            return n < 0 || n > (Long.MAX_VALUE >> shift) ? -1 : n << shift;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The JVM's input arguments (with those of JAVA_TOOL_OPTIONS), or none without java.management. */
    private static List<String> inputArguments() {
        try {
            return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (LinkageError | RuntimeException e) {
            return List.of();
        }
    }

    /** The option from the HotSpot diagnostic bean; 0 or -1 where it is unset or unavailable. */
    private static long fromDiagnosticBean() {
        try {
            return Optional.ofNullable(java.lang.management.ManagementFactory.getPlatformMXBean(
                            com.sun.management.HotSpotDiagnosticMXBean.class))
                    .map(b -> Long.parseLong(b.getVMOption("MaxDirectMemorySize").getValue()))
                    .orElse(-1L);
        } catch (LinkageError | RuntimeException e) {
            // No jdk.management in this runtime image (or not a HotSpot JVM): fall back to arguments.
            return -1;
        }
    }
}
