package io.memkit.bench.report.scenarios;

import io.memkit.meter.MemoryMeter;
import io.memkit.pools.BufferPool;
import io.memkit.pools.PooledBuffer;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The child JVM of the direct-churn scenario: runs one way of getting a short-lived direct buffer
 * per request under the {@code -XX:MaxDirectMemorySize} the parent chose, and prints one
 * {@code RESULT key=value;...} line. Run by {@link DirectChurnScenario}; not meant to be run by hand.
 *
 * <p>Arguments: variant ({@code allocateDirect}, {@code memkit}, {@code netty-pooled}, {@code netty-adaptive}),
 * measured operations, warm-up operations, buffer bytes.
 */
public final class DirectChurnChild {
    private static final AtomicLong EXPLICIT_GCS = new AtomicLong();
    private static final AtomicLong EXPLICIT_GC_MILLIS = new AtomicLong();

    private DirectChurnChild() {
    }

    /** One request's buffer: get it, touch it, give it back. */
    interface Churn {
        long request(int i);

        default long directHeld() {
            return -1;
        }
    }

    /**
     * Runs the variant and prints the result line on stdout.
     *
     * @param args variant, operations, warm-up operations, buffer bytes
     */
    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: DirectChurnChild VARIANT OPS WARMUP_OPS BUFFER_BYTES");
            System.exit(2);
        }
        String variant = args[0];
        int ops = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        listenForExplicitGcs();
        Churn churn = churn(variant, size);
        long sum = 0;
        for (int i = 0; i < warmup; i++) {
            sum += churn.request(i);
        }
        int batches = 10;
        int perBatch = Math.max(1, ops / batches);
        long[] batchNanos = new long[batches];
        long maxOp = 0;
        long explicit0 = EXPLICIT_GCS.get();
        long explicitMillis0 = EXPLICIT_GC_MILLIS.get();
        long[] gc0 = gcCounters();
        long a0 = MemoryMeter.threadAllocatedBytes();
        for (int b = 0; b < batches; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                long s = System.nanoTime();
                sum += churn.request(i);
                long e = System.nanoTime();
                if (e - s > maxOp) {
                    maxOp = e - s;
                }
            }
            batchNanos[b] = System.nanoTime() - t0;
        }
        long a1 = MemoryMeter.threadAllocatedBytes();
        long[] gc1 = gcCounters();
        // Only this variant runs in this JVM, so the JVM's direct memory in use is all its own; an
        // allocator's own figure counts where it is larger (memory it took without the JDK's counter).
        long direct = Math.max(churn.directHeld(), MemoryMeter.directBytesUsed());
        // GC notifications arrive on a service thread shortly after each collection.
        waitForNotifications();
        Arrays.sort(batchNanos);
        long measured = (long) perBatch * batches;
        System.out.println(String.format(Locale.ROOT,
                "RESULT ops=%d;nsPerOp=%.1f;bytesPerOp=%.1f;gcCount=%d;gcMillis=%d;explicitGcs=%d;explicitGcMillis=%d;"
                        + "maxOpMicros=%.1f;directBytes=%d;checksum=%d",
                measured, batchNanos[batches / 2] / (double) perBatch,
                a0 < 0 ? -1.0 : (a1 - a0) / (double) measured, gc1[0] - gc0[0], gc1[1] - gc0[1],
                EXPLICIT_GCS.get() - explicit0, EXPLICIT_GC_MILLIS.get() - explicitMillis0, maxOp / 1000.0, direct, sum & 0xff));
        System.exit(0);
    }

    static Churn churn(String variant, int size) {
        switch (variant) {
            case "allocateDirect":
                return i -> touch(ByteBuffer.allocateDirect(size), i);
            case "memkit":
                return memkit(size);
            case "netty-pooled":
                return netty(new PooledByteBufAllocator(true), size);
            case "netty-adaptive":
                return netty(new AdaptiveByteBufAllocator(true), size);
            default:
                throw new IllegalArgumentException("unknown variant '" + variant
                        + "'; expected allocateDirect, memkit, netty-pooled or netty-adaptive");
        }
    }

    /** A BufferPool capped at half the JVM's direct memory limit; default settings otherwise. */
    private static Churn memkit(int size) {
        BufferPool pool = BufferPool.builder().name("direct-churn").maxBytes(8L * 1024 * 1024).build();
        return new Churn() {
            @Override
            public long request(int i) {
                try (PooledBuffer lease = pool.acquire(size)) {
                    return touch(lease.byteBuffer(), i);
                }
            }

            @Override
            public long directHeld() {
                return pool.stats().bytesReserved();
            }
        };
    }

    private static Churn netty(ByteBufAllocator allocator, int size) {
        return new Churn() {
            @Override
            public long request(int i) {
                ByteBuf buf = allocator.directBuffer(size, size);
                try {
                    long sum = 0;
                    for (int at = 0; at + 8 <= size; at += 4096) {
                        buf.setLong(at, i + at);
                        sum += buf.getLong(at);
                    }
                    return sum;
                } finally {
                    buf.release();
                }
            }

            @Override
            public long directHeld() {
                return ((ByteBufAllocatorMetricProvider) allocator).metric().usedDirectMemory();
            }
        };
    }

    /** Writes and reads one long per 4 KiB page: what a request does with its buffer, cheaply. */
    static long touch(ByteBuffer buf, int i) {
        long sum = 0;
        for (int at = 0; at + 8 <= buf.capacity(); at += 4096) {
            buf.putLong(at, i + at);
            sum += buf.getLong(at);
        }
        return sum;
    }

    private static long[] gcCounters() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** Counts collections whose cause is System.gc(), which Bits.reserveMemory calls when the limit is hit. */
    private static void listenForExplicitGcs() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter) {
                ((NotificationEmitter) gc).addNotificationListener(DirectChurnChild::onGc, null, null);
            }
        }
    }

    private static void onGc(Notification n, Object handback) {
        if (!"com.sun.management.gc.notification".equals(n.getType()) || !(n.getUserData() instanceof CompositeData)) {
            return;
        }
        CompositeData data = (CompositeData) n.getUserData();
        Object cause = data.get("gcCause");
        if ("System.gc()".equals(cause)) {
            EXPLICIT_GCS.incrementAndGet();
            Object info = data.get("gcInfo");
            if (info instanceof CompositeData) {
                Object duration = ((CompositeData) info).get("duration");
                if (duration instanceof Long) {
                    EXPLICIT_GC_MILLIS.addAndGet((Long) duration);
                }
            }
        }
    }

    /** Bounded wait (at most 1 s) until the notifications of the collections counted so far have arrived. */
    private static void waitForNotifications() {
        long deadline = System.nanoTime() + 1_000_000_000L;
        long seen = -1;
        while (System.nanoTime() < deadline) {
            long now = EXPLICIT_GCS.get();
            if (now == seen) {
                return;
            }
            seen = now;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
