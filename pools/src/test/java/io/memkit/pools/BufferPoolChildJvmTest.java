package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
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

    @Test
    void fillingTheCapWithAlternatingSizeClassesCausesNoCollection() throws Exception {
        // The JDK's allocateDirect source is where a dropped slab stays counted until a collection:
        // re-carving idle memory must keep the pool from ever asking the JDK for more.
        String out = run(AlternatingChild.class, "-XX:MaxDirectMemorySize=16m", "-Dio.memkit.pool.memory=direct",
                "-Xlog:gc:stdout", "-Xms512m", "-Xmx512m", "-Xmn400m");
        // A young generation that the run's few MiB of heap never fill: any collection at all is the JDK's.
        assertThat(out).contains("OK").doesNotContain("System.gc()");
    }

    @Test
    void trimLowersResidentMemoryWithoutACollectionOnTheMappedSource() throws Exception {
        assumeTrue(Runtime.version().feature() >= 22, "memory goes back to the OS at once only with the FFM API (JDK 22+)");
        assumeTrue(Files.exists(Path.of("/proc/self/status")), "reads resident memory from /proc (Linux)");
        String out = run(TrimChild.class, "-Xlog:gc:stdout", "-Xms256m", "-Xmx256m");
        assertThat(out).contains("OK");
    }

    /**
     * Fills a 16 MiB pool under a 16 MiB JDK limit 20 times, alternating 4 KiB and 64 KiB leases;
     * each switch needs the other class's idle memory.
     */
    static final class AlternatingChild {
        public static void main(String[] args) {
            long gcBefore = collections();
            try (BufferPool pool = BufferPool.builder().maxBytes(16 << 20).leakDetection(LeakDetection.OFF).build()) {
                long directAfterFirstFill = -1;
                for (int round = 0; round < 20; round++) {
                    int capacity = round % 2 == 0 ? 4096 : 64 * 1024;
                    PooledBuffer[] fill = new PooledBuffer[(16 << 20) / capacity];
                    for (int i = 0; i < fill.length; i++) {
                        fill[i] = pool.acquire(capacity);
                        fill[i].byteBuffer().put(0, (byte) i);
                    }
                    for (PooledBuffer b : fill) {
                        b.close();
                    }
                    if (round == 0) {
                        directAfterFirstFill = directBuffers();
                    }
                }
                check(pool.stats().exhausted() == 0, "exhausted: " + pool.stats());
                check(directBuffers() == directAfterFirstFill, "direct buffers allocated after the first fill: "
                        + directAfterFirstFill + " -> " + directBuffers());
            }
            long gcs = collections() - gcBefore;
            check(gcs == 0, gcs + " collections");
            System.out.println("OK");
        }
    }

    /** Fills a pool with written pages, closes every lease, trims, and reads resident memory. */
    static final class TrimChild {
        public static void main(String[] args) throws IOException {
            int bytes = 128 << 20;
            try (BufferPool pool = BufferPool.builder().maxBytes(bytes).leakDetection(LeakDetection.OFF).build()) {
                PooledBuffer[] fill = new PooledBuffer[bytes / (64 * 1024)];
                for (int i = 0; i < fill.length; i++) {
                    fill[i] = pool.acquire(64 * 1024);
                    for (int at = 0; at < 64 * 1024; at += 4096) {
                        fill[i].byteBuffer().put(at, (byte) 1);
                    }
                }
                for (PooledBuffer b : fill) {
                    b.close();
                }
                long gcBefore = collections();
                long before = residentBytes();
                long released = pool.trim();
                long after = residentBytes();
                System.out.println("resident " + (before >> 20) + " MiB -> " + (after >> 20) + " MiB, trim released "
                        + (released >> 20) + " MiB");
                check(released == bytes, "trim released " + released);
                check(before - after > bytes * 3L / 4, "resident memory fell by " + (before - after));
                check(collections() == gcBefore, "a collection ran");
            }
            System.out.println("OK");
        }
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long directBuffers() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getCount();
            }
        }
        throw new AssertionError("no direct BufferPoolMXBean");
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
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
