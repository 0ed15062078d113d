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
     * One sentence per memkit variant that has a naive figure to compare with: how many bytes it
     * saves, how its time compares and, where the naive variant caused collections, how many each
     * caused. Scenarios without a memkit variant give one sentence for their leanest other variant,
     * where it saves bytes.
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
            boolean anyMemkit = false;
            for (VariantResult v : s.variants()) {
                if (v.role() == Role.MEMKIT && v.ok()) {
                    anyMemkit = true;
                    lines.add(headline(s, naive, v));
                }
            }
            if (!anyMemkit) {
                VariantResult best = null;
                for (VariantResult v : s.variants()) {
                    if (v.role() == Role.PEER && v.ok() && !Double.isNaN(v.bytesPerOp())
                            && (best == null || v.bytesPerOp() < best.bytesPerOp())) {
                        best = v;
                    }
                }
                if (best != null && s.savedVsNaive(best) > 0) {
                    lines.add(headline(s, naive, best));
                }
            }
        }
        return lines;
    }

    private static String headline(ScenarioResult s, VariantResult naive, VariantResult v) {
        StringBuilder line = new StringBuilder();
        line.append(s.title()).append(": ").append(v.name()).append(" vs ").append(naive.name()).append(": ");
        double saved = s.savedVsNaive(v);
        if (!Double.isNaN(saved)) {
            line.append(saved >= 0 ? Format.percent(saved) + " fewer " : Format.percent(-saved) + " more ");
        }
        line.append(s.bytesLabel()).append(" per ").append(s.unit())
                .append(String.format(Locale.ROOT, " (%s vs %s B)", Format.bytes(v.bytesPerOp()), Format.bytes(naive.bytesPerOp())));
        if (v.nsPerOp() > 0 && naive.nsPerOp() > 0) {
            double ratio = naive.nsPerOp() / v.nsPerOp();
            line.append(ratio >= 1
                    ? String.format(Locale.ROOT, ", %.1fx as fast", ratio)
                    : String.format(Locale.ROOT, ", %.1fx the time", 1 / ratio));
        }
        if (naive.directBytes() > 0 && v.directBytes() >= 0 && v.directBytes() < naive.directBytes()) {
            line.append(", direct memory held ").append(Format.memory(v.directBytes())).append(" vs ")
                    .append(Format.memory(naive.directBytes()));
        }
        if (naive.gcCount() > 0 && v.gcCount() >= 0) {
            line.append(String.format(Locale.ROOT, ", %d vs %d collections", v.gcCount(), naive.gcCount()));
        }
        return line.append('.').toString();
    }
}
