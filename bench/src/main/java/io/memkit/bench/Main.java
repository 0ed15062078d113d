package io.memkit.bench;

import io.memkit.bench.report.ReportCommand;
import io.memkit.bench.report.ReportLauncher;

/**
 * Entry point of the bench jar: the memory-savings report by default, {@code jmh ...} for the JMH suite.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the report (see {@link ReportCommand#usage()}) in a JVM with a fixed heap (see
     * {@link ReportLauncher}), or JMH when the first argument is {@code jmh}.
     * Exits with the report's status: 0 when it ran (failed scenarios are rows in the report),
     * 1 when the report could not be written, 2 for bad options.
     *
     * @param args command-line arguments
     * @throws Exception if JMH fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int status = ReportLauncher.launch(args);
        System.out.flush();
        // Exit explicitly: a peer library's background thread must not keep the report's JVM alive.
        System.exit(status);
    }
}
