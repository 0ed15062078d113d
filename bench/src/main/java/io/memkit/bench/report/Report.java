package io.memkit.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A whole report: where it ran and every scenario's figures.
 *
 * @param generatedAt   when it ran, ISO-8601 UTC
 * @param mode          {@code "quick"} or {@code "full"}
 * @param environment   JVM, OS, cores, heap and collectors, as label/value pairs in a fixed order
 * @param scenarios     the scenarios' results, in the order they ran
 * @param instruments   {@code Instruments.report()} taken at the end
 * @param seconds       wall-clock seconds of the whole run
 */
public record Report(String generatedAt, String mode, List<String[]> environment, List<ScenarioResult> scenarios,
                     String instruments, double seconds) {

    /**
     * Checks for nulls and copies the lists.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public Report {
        Objects.requireNonNull(generatedAt, "generatedAt must not be null");
        Objects.requireNonNull(mode, "mode must not be null");
        environment = List.copyOf(environment);
        scenarios = List.copyOf(scenarios);
        Objects.requireNonNull(instruments, "instruments must not be null");
    }

    /**
     * One sentence per scenario that has both a naive and a memkit figure: how many bytes the
     * memkit variant saves and how its time compares. A scenario with several memkit variants gives
     * one line each.
     *
     * @return the headline figures, in scenario order
     */
    public List<String> headlines() {
        List<String> lines = new ArrayList<>();
        for (ScenarioResult s : scenarios) {
            VariantResult naive = s.naive();
            if (naive == null) {
                continue;
            }
            for (VariantResult v : s.variants()) {
                if (v.role() != Role.MEMKIT || !v.ok()) {
                    continue;
                }
                StringBuilder line = new StringBuilder();
                line.append(s.title()).append(": ").append(v.name());
                double saved = s.savedVsNaive(v);
                if (!Double.isNaN(saved)) {
                    line.append(saved >= 0
                            ? String.format(Locale.ROOT, " uses %s fewer %s per %s", Format.percent(saved), s.bytesLabel(), s.unit())
                            : String.format(Locale.ROOT, " uses %s more %s per %s", Format.percent(-saved), s.bytesLabel(), s.unit()));
                    line.append(String.format(Locale.ROOT, " (%s vs %s B)", Format.bytes(v.bytesPerOp()), Format.bytes(naive.bytesPerOp())));
                } else {
                    line.append(String.format(Locale.ROOT, ": %s B vs %s B per %s", Format.bytes(v.bytesPerOp()),
                            Format.bytes(naive.bytesPerOp()), s.unit()));
                }
                if (v.nsPerOp() > 0 && naive.nsPerOp() > 0) {
                    double ratio = naive.nsPerOp() / v.nsPerOp();
                    line.append(ratio >= 1
                            ? String.format(Locale.ROOT, " and runs %.1fx as fast", ratio)
                            : String.format(Locale.ROOT, " and takes %.1fx the time", 1 / ratio));
                }
                if (naive.gcCount() > 0 && v.gcCount() >= 0) {
                    line.append(String.format(Locale.ROOT, "; collections: %d vs %d", v.gcCount(), naive.gcCount()));
                }
                line.append(" than ").append(naive.name()).append('.');
                lines.add(line.toString());
            }
        }
        return lines;
    }
}
