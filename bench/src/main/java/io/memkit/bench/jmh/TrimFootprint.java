package io.memkit.bench.jmh;

import io.memkit.pools.BufferPool;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.PooledBuffer;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What {@code trim()} gives back at once, with no collection: fills a pool with 128 MiB of 64 KiB
 * leases, writes every page, closes them, then reads the process's resident memory
 * ({@code /proc/self/status} VmRSS) and the JDK's {@code BufferPoolMXBean}s ("direct" and "mapped")
 * right before and right after {@code trim()}, with the time the trim took (on JDK 22+ each slab is
 * an FFM arena whose close is a handshake with every thread) and the collections that ran
 * meanwhile.
 *
 * <p>Run: {@code java -cp bench/target/memkit-bench.jar io.memkit.bench.jmh.TrimFootprint} with
 * the JDK to measure; {@code -Dio.memkit.pool.memory=direct} forces the JDK 17 source on later JDKs.
 */
public final class TrimFootprint {
    static final int BYTES = 128 << 20;
    static final int LEASE = 64 * 1024;

    private TrimFootprint() {
    }

    /**
     * Runs the measurement and prints one line per reading.
     *
     * @param args ignored
     * @throws IOException if /proc cannot be read
     */
    public static void main(String[] args) throws IOException {
        try (BufferPool pool = BufferPool.builder().name("trim-footprint").maxBytes(BYTES)
                .leakDetection(LeakDetection.OFF).idleTimeout(Duration.ZERO).build()) {
            PooledBuffer[] fill = new PooledBuffer[BYTES / LEASE];
            for (int i = 0; i < fill.length; i++) {
                fill[i] = pool.acquire(LEASE);
                for (int at = 0; at < LEASE; at += 4096) {
                    fill[i].byteBuffer().put(at, (byte) 1);
                }
            }
            for (PooledBuffer b : fill) {
                b.close();
            }
            long gcs = collections();
            String before = reading();
            long t0 = System.nanoTime();
            long released = pool.trim();
            long nanos = System.nanoTime() - t0;
            String after = reading();
            System.out.printf(Locale.ROOT, "TrimFootprint: Java %s, source %s, %d MiB in %d slabs%n", Runtime.version(),
                    System.getProperty("io.memkit.pool.memory", "auto"), BYTES >> 20, BYTES / LEASE);
            System.out.println("before trim: " + before);
            System.out.println("after trim:  " + after);
            System.out.printf(Locale.ROOT, "trim released %d MiB in %.1f ms (%.1f us per slab), collections meanwhile: %d%n",
                    released >> 20, nanos / 1e6, nanos / 1e3 / (BYTES / LEASE), collections() - gcs);
        }
    }

    private static String reading() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "VmRSS %d MiB", residentBytes() >> 20));
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct") || b.getName().equals("mapped")) {
                sb.append(String.format(Locale.ROOT, ", %s %d MiB in %d buffers", b.getName(), b.getMemoryUsed() >> 20,
                        b.getCount()));
            }
        }
        return sb.toString();
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long residentBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }
}
