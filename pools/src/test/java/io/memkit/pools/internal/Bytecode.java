package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Assumptions;

/** Reads the JIT's inlining limits and methods' bytecode sizes, for the pools' inlining guard tests. */
final class Bytecode {

    private Bytecode() {
    }

    /** A HotSpot integer option, or {@code fallback} elsewhere. */
    static int vmOption(String name, int fallback) {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return Integer.parseInt(hotspot.getVMOption(name).getValue());
        } catch (RuntimeException notHotSpot) {
            return fallback;
        }
    }

    /** The bytecode length of a method, from javap's listing of the compiled class. */
    static int codeLength(Class<?> type, String method) {
        Optional<ToolProvider> javap = ToolProvider.findFirst("javap");
        Assumptions.assumeTrue(javap.isPresent(), "javap is not available in this runtime");
        String classFile = Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath(),
                type.getName().replace('.', '/') + ".class").toString();
        StringWriter out = new StringWriter();
        int rc = javap.get().run(new PrintWriter(out), new PrintWriter(out), "-c", "-p", classFile);
        assertThat(rc).as("javap failed:%n%s", out).isZero();
        String listing = out.toString();
        int at = listing.indexOf(" " + method + "(");
        assertThat(at).as("no method %s in%n%s", method, listing).isPositive();
        int end = listing.indexOf("\n\n", at);
        Matcher m = Pattern.compile("\n\\s+(\\d+): (\\w+)").matcher(listing.substring(at, end < 0 ? listing.length() : end));
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        assertThat(last).as("no code for %s", method).isNotNegative();
        return last + 1; // the methods measured end with a one-byte return or throw
    }
}
