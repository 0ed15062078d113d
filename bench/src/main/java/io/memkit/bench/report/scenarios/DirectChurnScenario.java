package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.Scenario;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.ScenarioResult;
import io.memkit.bench.report.VariantResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Direct memory churn under a small {@code -XX:MaxDirectMemorySize}, each variant in its own
 * child JVM (same java binary and class path). When {@code ByteBuffer.allocateDirect} reaches the
 * limit, the JDK ({@code java.nio.Bits.reserveMemory}) calls {@code System.gc()} and sleeps until
 * Cleaners free enough: this scenario counts those collections and their time, and the slowest
 * single request, against pools that reuse their memory and cause none.
 */
public final class DirectChurnScenario implements Scenario {
    /** The child JVM's direct memory limit. */
    public static final String MAX_DIRECT = "16m";
    /** Bytes per request buffer. */
    public static final int BUFFER = 64 * 1024;

    @Override
    public String id() {
        return "direct-churn";
    }

    @Override
    public String title() {
        return "Direct memory churn under -XX:MaxDirectMemorySize=" + MAX_DIRECT;
    }

    @Override
    public String description() {
        return "Each request takes a 64 KiB direct buffer, writes and reads it, and lets it go, in a child JVM run with "
                + "-XX:MaxDirectMemorySize=" + MAX_DIRECT + " -Xmx128m -XX:+UseG1GC. allocateDirect garbage is freed only "
                + "by a collection, so at the limit the JDK calls System.gc() and sleeps; pools reuse their memory. "
                + "GCs and GC ms count every collection in the child during the measured requests; the extras give those "
                + "caused by System.gc() and the slowest single request. One op is one request.";
    }

    @Override
    public String unit() {
        return "request";
    }

    /** The child variants: name, role, child argument. */
    static List<String[]> children() {
        List<String[]> list = new ArrayList<>();
        list.add(new String[] {"allocateDirect per request", Role.NAIVE.name(), "allocateDirect"});
        list.add(new String[] {"memkit BufferPool (maxBytes 8 MiB)", Role.MEMKIT.name(), "memkit"});
        list.add(new String[] {"Netty PooledByteBufAllocator", Role.PEER.name(), "netty-pooled"});
        list.add(new String[] {"Netty AdaptiveByteBufAllocator", Role.PEER.name(), "netty-adaptive"});
        return list;
    }

    @Override
    public ScenarioResult run(ScenarioContext context) {
        long t0 = System.nanoTime();
        int ops = context.settings().quick() ? 20_000 : 100_000;
        int warmup = ops / 5;
        List<VariantResult> results = new ArrayList<>();
        for (String[] child : children()) {
            String name = child[0];
            Role role = Role.valueOf(child[1]);
            context.progress(name + ": child JVM, " + ops + " requests");
            try {
                results.add(runChild(context, name, role, child[2], ops, warmup));
            } catch (Exception e) {
                context.progress(name + ": FAILED: " + ScenarioContext.describe(e));
                results.add(VariantResult.failed(name, role, ScenarioContext.describe(e)));
            }
        }
        String notes = "Netty sizes PooledByteBufAllocator's direct arenas from the limit (at most max / chunk size / 6, "
                + "with 4 MiB chunks): under " + MAX_DIRECT + " it gets none, so its buffers here are unpooled direct "
                + "buffers, freed at release() rather than by a collection.\n";
        return new ScenarioResult(id(), title(), description(), unit(), bytesLabel(), results, notes, null,
                (System.nanoTime() - t0) / 1e9, List.of("explicitGcs", "explicitGcMillis"));
    }

    private static VariantResult runChild(ScenarioContext context, String name, Role role, String variant, int ops,
                                          int warmup) throws IOException, InterruptedException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-XX:MaxDirectMemorySize=" + MAX_DIRECT);
        command.add("-Xmx128m");
        command.add("-XX:+UseG1GC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DirectChurnChild.class.getName());
        command.add(variant);
        command.add(Integer.toString(ops));
        command.add(Integer.toString(warmup));
        command.add(Integer.toString(BUFFER));
        Path out = Files.createTempFile("memkit-churn-", ".out");
        Path err = Files.createTempFile("memkit-churn-", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            int seconds = context.settings().childSeconds();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("child JVM did not finish within " + seconds + " s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String result = null;
            for (String line : stdout.split("\n")) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring("RESULT ".length()).trim();
                }
            }
            if (process.exitValue() != 0 || result == null) {
                throw new IllegalStateException("child JVM exited with " + process.exitValue() + ": "
                        + tail(Files.readString(err, StandardCharsets.UTF_8) + stdout));
            }
            return parse(name, role, result);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Turns a child's {@code key=value;...} line into a result.
     *
     * @param name   the variant's name
     * @param role   its role
     * @param result the line after {@code RESULT }
     * @return the figures
     * @throws IllegalArgumentException if a figure is missing or malformed
     */
    static VariantResult parse(String name, Role role, String result) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String pair : result.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                kv.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        double bytesPerOp = number(kv, "bytesPerOp");
        double nsPerOp = number(kv, "nsPerOp");
        long gcCount = (long) number(kv, "gcCount");
        long gcMillis = (long) number(kv, "gcMillis");
        long directBytes = (long) number(kv, "directBytes");
        long ops = (long) number(kv, "ops");
        Map<String, Double> extras = new LinkedHashMap<>();
        extras.put("explicitGcs", number(kv, "explicitGcs"));
        extras.put("explicitGcMillis", number(kv, "explicitGcMillis"));
        extras.put("maxRequestMicros", number(kv, "maxOpMicros"));
        return new VariantResult(name, role, bytesPerOp, nsPerOp, gcCount, gcMillis, directBytes, ops, extras, null);
    }

    private static double number(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) {
            throw new IllegalArgumentException("child result has no '" + key + "': " + kv);
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("child result '" + key + "' is not a number: " + v, e);
        }
    }

    private static String tail(String text) {
        String t = text.strip().replace('\n', ' ');
        return t.length() <= 400 ? t : "..." + t.substring(t.length() - 400);
    }
}
