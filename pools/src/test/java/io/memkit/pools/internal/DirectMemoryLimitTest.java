package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DirectMemoryLimitTest {

    @Test
    void parsesHotSpotSizes() {
        assertThat(DirectMemoryLimit.parseSize("65536")).isEqualTo(65536);
        assertThat(DirectMemoryLimit.parseSize("64k")).isEqualTo(64L << 10);
        assertThat(DirectMemoryLimit.parseSize("16M")).isEqualTo(16L << 20);
        assertThat(DirectMemoryLimit.parseSize("2g")).isEqualTo(2L << 30);
        assertThat(DirectMemoryLimit.parseSize("1T")).isEqualTo(1L << 40);
        assertThat(DirectMemoryLimit.parseSize("")).isEqualTo(-1);
        assertThat(DirectMemoryLimit.parseSize("12x")).isEqualTo(-1);
        assertThat(DirectMemoryLimit.parseSize("-5m")).isEqualTo(-1);
        assertThat(DirectMemoryLimit.parseSize("99999999999999999999")).isEqualTo(-1);
    }

    @Test
    void theLastOptionWins() {
        assertThat(DirectMemoryLimit.fromArguments(List.of("-Xmx1g", "-XX:MaxDirectMemorySize=8m",
                "-XX:MaxDirectMemorySize=32m"))).isEqualTo(32L << 20);
        assertThat(DirectMemoryLimit.fromArguments(List.of("-Xmx1g"))).isEqualTo(-1);
    }

    @Test
    void defaultCapLeavesAQuarterAndStaysBetweenTheBounds() {
        assertThat(DirectMemoryLimit.defaultCap(64L << 20)).isEqualTo(48L << 20);
        assertThat(DirectMemoryLimit.defaultCap(8L << 30)).isEqualTo(256L << 20);
        assertThat(DirectMemoryLimit.defaultCap(1L << 20)).isEqualTo(4L << 20);
    }

    @Test
    void theSharedPoolsDefaultCapFollowsTheJvmsLimit() throws Exception {
        // Under -Xmx64m the JDK's direct limit is the heap's maximum, so the shared pool caps at
        // three quarters of it and meets its own cap before the JDK would call System.gc().
        String[] out = childOutput("-Xmx64m").split(" ");
        assertThat(Long.parseLong(out[2])).isEqualTo(DirectMemoryLimit.defaultCap(Long.parseLong(out[0])))
                .isLessThan(64L << 20);
        assertThat(Long.parseLong(childOutput("-XX:MaxDirectMemorySize=16m").split(" ")[2])).isEqualTo(12L << 20);
    }

    @Test
    void readsTheLimitOfARunningJvm() throws Exception {
        assertThat(childLimit("-XX:MaxDirectMemorySize=24m")).isEqualTo(24L << 20);
        // Without the option the JDK's default is the heap's maximum, as the child reports it.
        String[] noOption = childOutput("-Xmx96m").split(" ");
        assertThat(Long.parseLong(noOption[0])).isEqualTo(Long.parseLong(noOption[1]));
    }

    private static long childLimit(String option) throws Exception {
        return Long.parseLong(childOutput(option).split(" ")[0]);
    }

    private static String childOutput(String option) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, option, "-cp", System.getProperty("java.class.path"),
                Child.class.getName()).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(done).as("child JVM finished within 60 s: %s", out).isTrue();
        assertThat(p.exitValue()).as("child exit code; output: %s", out).isZero();
        return out;
    }

    /** Prints the limit it reads, its own heap maximum and the shared pool's cap. */
    public static final class Child {
        public static void main(String[] args) {
            System.out.println(DirectMemoryLimit.jvmLimit() + " " + Runtime.getRuntime().maxMemory() + " "
                    + ((DirectBufferPool) io.memkit.pools.BufferPool.shared()).maxBytes());
        }
    }
}
