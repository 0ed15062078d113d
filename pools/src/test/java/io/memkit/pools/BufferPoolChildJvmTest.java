package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What BufferPool promises about the JVM it runs in, each checked in a child JVM of its own. */
class BufferPoolChildJvmTest {

    /** Runs {@code main} of {@code child} in a new JVM with {@code jvmArgs}; returns its output. */
    private static String run(Class<?> child, String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(child.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not end within 60 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("child exit, output:%n%s", text).isZero();
        return text;
    }

    @Test
    void theJvmRefusingDirectMemoryIsAPoolExhaustedExceptionCausedByTheOutOfMemoryError() throws Exception {
        // The JDK's limit binds only memory from ByteBuffer.allocateDirect, the default source before
        // JDK 22; the FFM sources of later JDKs are not counted against it.
        assertThat(run(DirectMemoryChild.class, "-XX:MaxDirectMemorySize=1m", "-Dio.memkit.pool.memory=direct"))
                .contains("OK");
    }

    @Test
    void theSharedPoolIsBuiltFromPropertiesAndRetriedAfterAnInvalidValue() throws Exception {
        assertThat(run(SharedChild.class, "-Dio.memkit.pool.maxBytes=lots")).contains("OK");
    }

    /** Asks a pool for more direct memory than the JVM allows. */
    static final class DirectMemoryChild {
        public static void main(String[] args) {
            try (BufferPool pool = BufferPool.builder().maxBytes(64 << 20).leakDetection(LeakDetection.OFF).build()) {
                try {
                    pool.acquire(4 << 20).close();
                    System.out.println("FAIL: no exception");
                    System.exit(1);
                } catch (PoolExhaustedException e) {
                    check(e.getCause() instanceof OutOfMemoryError, "cause is " + e.getCause());
                    check(e.getMessage().contains("MaxDirectMemorySize"), e.getMessage());
                }
                BufferPoolStats s = pool.stats();
                check(s.exhausted() == 1, "exhausted " + s);
                check(s.bytesReserved() == 0, "the refused memory is given back to the budget: " + s);
                // what the JVM allows still works
                pool.acquire(4096).close();
            }
            System.out.println("OK");
        }
    }

    /** BufferPool.shared() with an invalid property, then a valid one. */
    static final class SharedChild {
        public static void main(String[] args) {
            try {
                BufferPool.shared();
                System.out.println("FAIL: no exception for maxBytes=lots");
                System.exit(1);
            } catch (IllegalArgumentException e) {
                check(e.getMessage().contains("io.memkit.pool.maxBytes") && e.getMessage().contains("'lots'"),
                        e.getMessage());
            }
            System.setProperty("io.memkit.pool.maxBytes", "64k");
            System.setProperty("io.memkit.pool.leakDetection", "off");
            BufferPool shared = BufferPool.shared();
            check(shared == BufferPool.shared(), "one shared pool");
            try {
                shared.acquire(65 * 1024);
                check(false, "a request above the property's maxBytes was served");
            } catch (IllegalArgumentException e) {
                check(e.getMessage().contains("maxBytes 65536"), e.getMessage());
            }
            shared.acquire(1000).close();
            check(shared.outstanding().isEmpty() && shared.stats().acquires() == 1, shared.stats().toString());
            System.out.println("OK");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("FAIL: " + what);
            System.exit(1);
        }
    }
}
