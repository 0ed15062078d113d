package io.memkit.bench;

/**
 * Entry point of the bench jar: the memory-savings report by default, {@code jmh ...} for the JMH suite.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the report, or JMH when the first argument is {@code jmh}.
     *
     * @param args command-line arguments
     * @throws Exception if JMH fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.out.println("memkit memory-savings report: no scenarios yet");
    }
}
