package io.memkit.bench.report;

/**
 * How long each variant is warmed up and measured.
 *
 * @param quick        {@code true} for the quick report (the README's default)
 * @param warmupMillis warm-up time per variant
 * @param batches      measured batches per variant; time per op is their median
 * @param batchMillis  target duration of one batch
 * @param childSeconds upper bound on a child JVM's run
 */
public record Settings(boolean quick, int warmupMillis, int batches, int batchMillis, int childSeconds) {

    /**
     * Checks the figures.
     *
     * @throws IllegalArgumentException if a duration or count is not positive
     */
    public Settings {
        if (warmupMillis <= 0 || batches <= 0 || batchMillis <= 0 || childSeconds <= 0) {
            throw new IllegalArgumentException("settings must be positive: warmupMillis=" + warmupMillis
                    + ", batches=" + batches + ", batchMillis=" + batchMillis + ", childSeconds=" + childSeconds);
        }
    }

    /**
     * The quick report: the whole report in well under two minutes on two cores.
     *
     * @return quick settings
     */
    public static Settings forQuick() {
        return new Settings(true, 300, 7, 40, 30);
    }

    /**
     * The full report: longer warm-up and more batches, for steadier times.
     *
     * @return full settings
     */
    public static Settings forFull() {
        return new Settings(false, 2000, 15, 200, 120);
    }
}
