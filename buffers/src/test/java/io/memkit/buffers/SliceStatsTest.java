package io.memkit.buffers;

import static org.assertj.core.api.Assertions.assertThat;

import io.memkit.meter.Instrumented;
import io.memkit.meter.Instruments;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SliceStatsTest {

    @Test
    void theCountersAreRegisteredWithInstruments() {
        Slice.wrap(new byte[3]).slice(0, 2);
        Instrumented slices = Instruments.all().stream()
                .filter(i -> i.type().equals("Slice") && i.name().equals("slices"))
                .findFirst().orElseThrow();
        assertThat(slices.counters()).containsOnlyKeys("views", "bytesViewed", "copies", "bytesCopied");
        SliceStats stats = Slice.stats();
        assertThat(slices.counters().get("views")).isGreaterThanOrEqualTo(stats.views());
        assertThat(Instruments.report()).contains("slices");
    }

    @Test
    void concurrentCountingNeverOvercounts() throws InterruptedException {
        Slice s = Slice.wrap(new byte[64]);
        int perThread = 100_000;
        Thread[] threads = new Thread[4];
        SliceStats before = Slice.stats();
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    s.slice(i & 31, 16);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(30_000);
            assertThat(t.isAlive()).as("counting thread finished within 30 s").isFalse();
        }
        SliceStats after = Slice.stats();
        long views = after.views() - before.views();
        long bytes = after.bytesViewed() - before.bytesViewed();
        // Threads on distinct stripes count exactly; threads sharing one may lose a few increments.
        assertThat(views).isBetween((long) perThread, (long) threads.length * perThread);
        assertThat(bytes).isBetween(16L * perThread, 16L * threads.length * perThread);
    }

    /** The switch is read once per JVM, so it is tested in a fresh one. */
    @Test
    void theSystemPropertySwitchesCountingOff() throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-Dio.memkit.slice.stats=false",
                "-cp", System.getProperty("java.class.path"), StatsProbe.class.getName())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe JVM finished within 60 s").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("SliceStats[views=0, bytesViewed=0, copies=0, bytesCopied=0]");
    }

    /** Runs in the probe JVM: makes views and copies, prints the stats. */
    public static final class StatsProbe {
        public static void main(String[] args) {
            Slice s = Slice.wrap(new byte[100]);
            s.slice(1, 50).toByteArray();
            Slice.copyOf(new byte[10]);
            System.out.println(Slice.stats());
        }
    }
}
