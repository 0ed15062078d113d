package io.memkit.bench.report;

import io.memkit.meter.Instruments;
import io.memkit.meter.MemoryMeter;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The report's command line: parses the options, runs the chosen scenarios one after the other,
 * prints the table and writes {@code index.html} and {@code report.json}.
 *
 * <p>A scenario or variant that fails becomes a failed row; the run goes on and still exits 0.
 * Only bad options (exit 2) or an output directory that cannot be written (exit 1) fail the command.
 */
public final class ReportCommand {
    /** Where the page and the JSON go unless {@code --out} says otherwise. */
    public static final String DEFAULT_OUT = "bench/target/report";

    private ReportCommand() {
    }

    /**
     * Runs the command.
     *
     * @param args the options (see {@link #usage()})
     * @param out  where the table goes
     * @param err  where progress lines and errors go
     * @return the exit code: 0 on success, 1 if the output cannot be written, 2 for bad options
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean quick = false;
        Path dir = Paths.get(DEFAULT_OUT);
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick":
                    quick = true;
                    break;
                case "--help":
                case "-h":
                    out.print(usage());
                    return 0;
                case "--list":
                    for (Scenario s : Scenarios.all()) {
                        out.printf(Locale.ROOT, "%-18s %s%n", s.id(), s.title());
                    }
                    return 0;
                case "--scenario":
                case "--out":
                    if (i + 1 >= args.length) {
                        err.println("memkit report: " + a + " needs a value");
                        err.print(usage());
                        return 2;
                    }
                    String value = args[++i];
                    if (a.equals("--out")) {
                        dir = Paths.get(value);
                    } else {
                        for (String name : value.split(",")) {
                            if (!name.isBlank()) {
                                wanted.add(name.trim());
                            }
                        }
                    }
                    break;
                default:
                    err.println("memkit report: unknown option '" + a + "' (JMH runs with: jmh " + a + " ...)");
                    err.print(usage());
                    return 2;
            }
        }
        List<Scenario> chosen;
        try {
            chosen = select(Scenarios.all(), wanted);
        } catch (IllegalArgumentException e) {
            err.println("memkit report: " + e.getMessage());
            return 2;
        }
        Report measured = runScenarios(chosen, quick ? Settings.forQuick() : Settings.forFull(), err::println);
        List<String[]> env = new ArrayList<>();
        env.add(new String[] {"command", ("java -jar bench/target/memkit-bench.jar " + String.join(" ", args)).trim()});
        env.addAll(measured.environment());
        Report report = new Report(measured.generatedAt(), measured.mode(), env, measured.scenarios(),
                measured.instruments(), measured.seconds());
        out.println();
        out.println("memkit memory-savings report (" + report.mode() + ", " + envValue(report, "java") + ", "
                + envValue(report, "cores") + " cores)");
        out.println();
        out.print(TextTable.render(report.scenarios()));
        out.println();
        out.println("bytes/unit: heap bytes per unit, exact (MemoryMeter), allocated unless the heading says retained;"
                + " saved: vs the naive row;");
        out.println("ns/unit: median of the measured batches, wall clock (indicative in a quick run); GCs, GC ms: collections"
                + " during them; direct: direct memory held at the end.");
        for (ScenarioResult s : report.scenarios()) {
            String attached = TextTable.attachments(s);
            if (!s.notes().isEmpty() || !attached.isEmpty()) {
                out.println();
                out.println("== " + s.id() + ": " + s.title());
                if (!s.notes().isEmpty()) {
                    out.print(s.notes().endsWith("\n") ? s.notes() : s.notes() + "\n");
                }
                out.print(attached);
            }
        }
        List<String> headlines = report.headlines();
        if (!headlines.isEmpty()) {
            out.println();
            out.println("Headlines:");
            for (String line : headlines) {
                out.println("- " + line);
            }
        }
        out.println();
        out.print(report.instruments());
        try {
            Path written = write(report, dir);
            out.println();
            out.println("Wrote " + written.resolve("index.html") + " and " + written.resolve("report.json")
                    + String.format(Locale.ROOT, " (%.0f s)", report.seconds()));
        } catch (IOException | RuntimeException e) {
            err.println("memkit report: cannot write the report to " + dir.toAbsolutePath() + ": " + ScenarioContext.describe(e));
            return 1;
        }
        return 0;
    }

    /**
     * The usage text.
     *
     * @return the text, ending with a line break
     */
    public static String usage() {
        StringBuilder u = new StringBuilder();
        u.append("Usage: java -jar memkit-bench.jar [--quick] [--scenario NAME[,NAME...]] [--out DIR]\n");
        u.append("       java -jar memkit-bench.jar jmh [JMH options]\n\n");
        u.append("Runs memkit's memory-savings report: each scenario the naive way, with memkit and with peer\n");
        u.append("libraries, in one JVM; prints a table and writes DIR/index.html and DIR/report.json.\n\n");
        u.append("  --quick           short warm-up and few batches (the whole report in under 2 minutes)\n");
        u.append("  --scenario NAME   run only these scenarios (an id, or a prefix before '-': 'collections')\n");
        u.append("  --out DIR         where to write index.html and report.json (default ").append(DEFAULT_OUT).append(")\n");
        u.append("  --list            list the scenarios and exit\n");
        u.append("  --in-process      don't start the report JVM (fixed 1 GiB heap); figures may suffer\n");
        u.append("  --help            this text\n\nScenarios:\n");
        for (Scenario s : Scenarios.all()) {
            u.append(String.format(Locale.ROOT, "  %-18s %s%n", s.id(), s.title()));
        }
        return u.toString();
    }

    /**
     * The scenarios whose id equals a wanted name or starts with it followed by {@code '-'}.
     *
     * @param all    every scenario
     * @param wanted names; empty means all
     * @return the chosen scenarios, in catalogue order
     * @throws IllegalArgumentException if a name matches nothing, listing the ids
     */
    static List<Scenario> select(List<Scenario> all, List<String> wanted) {
        if (wanted.isEmpty()) {
            return all;
        }
        List<Scenario> chosen = new ArrayList<>();
        for (String name : wanted) {
            boolean any = false;
            for (Scenario s : all) {
                if (s.id().equals(name) || s.id().startsWith(name + "-")) {
                    any = true;
                }
            }
            if (!any) {
                List<String> ids = new ArrayList<>();
                for (Scenario s : all) {
                    ids.add(s.id());
                }
                throw new IllegalArgumentException("no scenario '" + name + "'; scenarios: " + String.join(", ", ids));
            }
        }
        for (Scenario s : all) {
            for (String name : wanted) {
                if (s.id().equals(name) || s.id().startsWith(name + "-")) {
                    chosen.add(s);
                    break;
                }
            }
        }
        return chosen;
    }

    /**
     * Runs scenarios one after the other; a scenario that throws becomes a failed scenario.
     *
     * @param scenarios what to run
     * @param settings  warm-up and batch settings
     * @param progress  where progress lines go
     * @return the report, with {@code Instruments.report()} taken at the end
     */
    public static Report runScenarios(List<Scenario> scenarios, Settings settings, Consumer<String> progress) {
        long t0 = System.nanoTime();
        String generatedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<ScenarioResult> results = new ArrayList<>();
        warmHeap(progress);
        int n = scenarios.size();
        for (int i = 0; i < n; i++) {
            Scenario s = scenarios.get(i);
            String prefix = String.format(Locale.ROOT, "[%d/%d] %s", i + 1, n, s.id());
            progress.accept(prefix + ": " + s.title());
            ScenarioContext context = new ScenarioContext(settings, progress, prefix);
            long s0 = System.nanoTime();
            ScenarioResult result;
            try {
                result = context.drainAttachments(s.run(context));
            } catch (Exception | LinkageError | OutOfMemoryError | StackOverflowError e) {
                progress.accept(prefix + ": FAILED: " + ScenarioContext.describe(e));
                result = new ScenarioResult(s.id(), s.title(), s.description(), s.unit(), s.bytesLabel(), List.of(), "",
                        ScenarioContext.describe(e), (System.nanoTime() - s0) / 1e9);
            } finally {
                Sink.clear();
            }
            progress.accept(String.format(Locale.ROOT, "%s: done in %.1f s", prefix, result.seconds()));
            results.add(result);
        }
        String instruments;
        try {
            instruments = Instruments.report();
        } catch (RuntimeException e) {
            instruments = "Instruments.report() failed: " + ScenarioContext.describe(e) + "\n";
        }
        return new Report(generatedAt, settings.quick() ? "quick" : "full", environment(), results, instruments,
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Allocates 256 MiB of short-lived garbage, so that the young generation's pages have been
     * touched (and page-faulted in) before anything is measured. See {@link ReportLauncher}.
     *
     * @param progress where the progress line goes
     */
    static void warmHeap(Consumer<String> progress) {
        progress.accept("warming the heap (256 MiB of garbage, so that first-touch page faults are not measured)");
        long sum = 0;
        for (int i = 0; i < 1024; i++) {
            byte[] garbage = new byte[256 * 1024 - 64];
            garbage[i] = (byte) i;
            sum += garbage[i & 1023];
            Sink.keep(garbage);
        }
        Sink.publish(sum);
        Sink.clear();
    }

    /**
     * Writes {@code index.html} and {@code report.json} into {@code dir}, creating it.
     *
     * @param report the report
     * @param dir    the directory
     * @return the directory, absolute
     * @throws IOException if writing fails
     */
    public static Path write(Report report, Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Files.createDirectories(abs);
        Path json = abs.resolve("report.json");
        Path tmp = abs.resolve("report.json.tmp");
        Files.writeString(tmp, ReportJson.render(report), StandardCharsets.UTF_8);
        Files.move(tmp, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(abs.resolve("index.html"), HtmlReport.render(report), StandardCharsets.UTF_8);
        return abs;
    }

    /**
     * Where the report runs: JVM, OS, cores, heap, collectors.
     *
     * @return label/value pairs
     */
    static List<String[]> environment() {
        List<String[]> env = new ArrayList<>();
        env.add(new String[] {"java", "JDK " + System.getProperty("java.runtime.version", System.getProperty("java.version"))});
        env.add(new String[] {"vm", System.getProperty("java.vm.name", "?") + " " + System.getProperty("java.vm.version", "")});
        env.add(new String[] {"os", System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "") + " "
                + System.getProperty("os.arch", "")});
        env.add(new String[] {"cores", Integer.toString(Runtime.getRuntime().availableProcessors())});
        env.add(new String[] {"maxHeap", Format.memory(Runtime.getRuntime().maxMemory())});
        env.add(new String[] {"collectors", GcCounters.collectorNames()});
        env.add(new String[] {"jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())});
        env.add(new String[] {"allocationCounter", MemoryMeter.isSupported() ? "supported (exact heap bytes)" : "unsupported"});
        return env;
    }

    private static String envValue(Report report, String key) {
        for (String[] pair : report.environment()) {
            if (pair[0].equals(key)) {
                return pair[1];
            }
        }
        return "?";
    }
}
