package io.memkit.bench.report;

import java.util.Locale;

/**
 * Number formats shared by the terminal table and the HTML page.
 */
public final class Format {
    private Format() {
    }

    /**
     * A byte figure: one decimal below 100, thousands separators above; {@code "-"} when unknown.
     *
     * @param bytes bytes (possibly fractional, per op)
     * @return for example {@code "24.0"} or {@code "266,341"}
     */
    public static String bytes(double bytes) {
        if (Double.isNaN(bytes) || bytes < 0) {
            return "-";
        }
        return bytes < 100 ? String.format(Locale.ROOT, "%.1f", bytes) : String.format(Locale.ROOT, "%,.0f", bytes);
    }

    /**
     * A time in nanoseconds, formatted like {@link #bytes(double)}.
     *
     * @param nanos nanoseconds
     * @return for example {@code "12.3"} or {@code "1,234"}
     */
    public static String nanos(double nanos) {
        return bytes(nanos);
    }

    /**
     * A fraction as a whole percentage, or with one decimal from 95% (where 98% and 99.9% differ a lot).
     *
     * @param fraction 0.95 for 95%
     * @return for example {@code "80%"}, {@code "99.5%"} or {@code ">99.9%"}; {@code "-"} when unknown
     */
    public static String percent(double fraction) {
        if (Double.isNaN(fraction)) {
            return "-";
        }
        double p = fraction * 100;
        if (Math.abs(p) >= 95 && Math.abs(p) < 100) {
            String oneDecimal = String.format(Locale.ROOT, "%.1f", Math.abs(p));
            // 99.97% must not read as 100%: say it is above 99.9%
            return (p < 0 ? "-" : "") + (oneDecimal.equals("100.0") ? ">99.9" : oneDecimal) + "%";
        }
        return String.format(Locale.ROOT, "%.0f%%", p);
    }

    /**
     * An amount of memory in binary units.
     *
     * @param bytes a byte count
     * @return for example {@code "0"}, {@code "512 B"}, {@code "16.0 MiB"}; {@code "-"} when negative (unknown)
     */
    public static String memory(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        if (bytes == 0) {
            return "0";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    /**
     * A count, or {@code "-"} when negative (unknown).
     *
     * @param count the count
     * @return the count with thousands separators
     */
    public static String count(long count) {
        return count < 0 ? "-" : String.format(Locale.ROOT, "%,d", count);
    }
}
