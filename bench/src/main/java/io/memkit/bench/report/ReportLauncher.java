package io.memkit.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the report in a JVM with a fixed heap, so that its figures do not depend on the machine's
 * default heap sizing.
 *
 * <p>Why: with the default heap (a quarter of RAM) G1 keeps taking fresh, never-touched regions
 * for new objects, and each first touch of a page is a page fault the kernel must zero. Measured
 * here, that made parsing 1,000 records take 0.8 ms instead of 25 us, far more than the work
 * itself. With {@code -Xms} equal to {@code -Xmx} and a fixed young generation ({@code -Xmn}),
 * the same eden regions are reused after the first collections, so after a short heap warm-up
 * the figures show the code, not the kernel. The report JVM gets {@value #HEAP} of heap,
 * {@value #YOUNG} of it young, G1, the {@code --add-opens} Agrona and Netty need, then the
 * launching JVM's own flags; where those choose the heap, young generation or collector
 * themselves, the defaults for it are left out. It inherits stdin, stdout and stderr.
 *
 * <p>{@code --in-process} skips the extra JVM (for debugging; figures may then suffer from the
 * above).
 */
public final class ReportLauncher {
    /** System property set in the report JVM so that it does not fork again. */
    public static final String FORKED = "memkit.report.forked";
    /** Heap of the report JVM. */
    public static final String HEAP = "1g";
    /** Young generation of the report JVM. */
    public static final String YOUNG = "64m";

    private ReportLauncher() {
    }

    /**
     * Runs the report, in a fresh JVM unless this is one already or {@code --in-process} is given.
     *
     * @param args the report's options
     * @return the exit status of the report
     */
    public static int launch(String[] args) {
        List<String> options = new ArrayList<>(Arrays.asList(args));
        boolean inProcess = options.remove("--in-process");
        boolean trivial = options.contains("--help") || options.contains("-h") || options.contains("--list");
        if (inProcess || trivial || Boolean.getBoolean(FORKED)) {
            return ReportCommand.run(options.toArray(new String[0]), System.out, System.err);
        }
        List<String> command = command(options);
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            return process.waitFor();
        } catch (IOException e) {
            System.err.println("memkit report: cannot start the report JVM (" + ScenarioContext.describe(e)
                    + "); running in this JVM, whose default heap sizing may distort the figures");
            return ReportCommand.run(options.toArray(new String[0]), System.out, System.err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /**
     * The report JVM's command line.
     *
     * @param options the report's options
     * @return java, its flags, the class path, the main class and the options
     */
    static List<String> command(List<String> options) {
        return command(options, ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /**
     * The report JVM's command line, given the launching JVM's flags. The defaults step aside for
     * the user's own choice of heap, young generation or collector, so that, e.g., a
     * {@code -Xmx512m} never meets this class's {@code -Xms1g}.
     *
     * @param options the report's options
     * @param jvmArgs the launching JVM's flags
     * @return java, its flags, the class path, the main class and the options
     */
    static List<String> command(List<String> options, List<String> jvmArgs) {
        boolean ownHeap = false;
        boolean ownYoung = false;
        boolean ownGc = false;
        for (String flag : jvmArgs) {
            ownHeap |= flag.startsWith("-Xmx") || flag.startsWith("-Xms") || flag.startsWith("-XX:MaxHeapSize")
                    || flag.startsWith("-XX:InitialHeapSize") || flag.startsWith("-XX:MaxRAMPercentage");
            ownYoung |= flag.startsWith("-Xmn") || flag.startsWith("-XX:NewSize") || flag.startsWith("-XX:MaxNewSize");
            ownGc |= flag.startsWith("-XX:+Use") && flag.endsWith("GC");
        }
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (!ownHeap) {
            command.add("-Xms" + HEAP);
            command.add("-Xmx" + HEAP);
        }
        if (!ownYoung && !ownHeap) {
            command.add("-Xmn" + YOUNG);
        }
        if (!ownGc) {
            command.add("-XX:+UseG1GC");
        }
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.nio=ALL-UNNAMED");
        for (String flag : jvmArgs) {
            if (!flag.startsWith("-D" + FORKED)) {
                command.add(flag);
            }
        }
        command.add("-D" + FORKED + "=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.memkit.bench.Main");
        command.addAll(options);
        return command;
    }
}
