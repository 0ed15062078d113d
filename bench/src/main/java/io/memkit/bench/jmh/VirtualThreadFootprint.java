package io.memkit.bench.jmh;

import io.memkit.pools.BufferPool;
import io.memkit.pools.PooledBuffer;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Footprint under virtual threads (JDK 21+): 10,000 virtual threads each acquire a 4 KiB direct
 * buffer, write to it, yield while holding it (as across blocking I/O), and release it, 100 times.
 * Reports, per allocator, the peak number of buffers held at once (the live working set is that
 * times 4 KiB), the direct memory the allocator holds at its peak (sampled every millisecond by a
 * platform thread), at the end, after {@value #IDLE_MILLIS} ms idle (memkit's pool has an idle
 * timeout of half that, so the idle time is two timeouts), for memkit also after {@code trim()}, and the heap still retained
 * after a full GC. Direct memory is what the allocator reports (memkit {@code bytesReserved}, Netty
 * {@code metric().usedDirectMemory()}): Netty allocates without the JDK's direct-buffer counter. memkit {@code BufferPool}
 * (defaults) vs Netty 4.2 {@code PooledByteBufAllocator.DEFAULT} and {@code AdaptiveByteBufAllocator}.
 * Each allocator runs in its own JVM so that none sees another's memory.
 *
 * <p>Run: {@code java -cp bench/target/memkit-bench.jar io.memkit.bench.jmh.VirtualThreadFootprint}
 * (with a JDK 21+ {@code java}); one allocator only: append {@code memkit}, {@code nettyPooled} or
 * {@code nettyAdaptive}.
 */
public final class VirtualThreadFootprint {

    static final int THREADS = 10_000;
    static final int ROUNDS = 100;
    static final int SIZE = 4096;
    /** Idle time after the burst; memkit's idle timeout is half of it. */
    static final long IDLE_MILLIS = 2000;
    private static final String[] CONTENDERS = {"memkit", "nettyPooled", "nettyAdaptive"};

    private VirtualThreadFootprint() {
    }

    /**
     * Runs every allocator in a child JVM and prints a table, or one allocator in this JVM.
     *
     * @param args nothing, or an allocator name
     * @throws Exception if a child fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            runOne(args[0]);
            return;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        System.out.printf(Locale.ROOT, "VirtualThreadFootprint: %,d virtual threads x %d x acquire/yield/release %d B, "
                + "Java %s%n", THREADS, ROUNDS, SIZE, Runtime.version());
        System.out.printf(Locale.ROOT, "%-14s %10s %14s %14s %14s %14s %14s %12s %9s%n", "allocator", "peak live",
                "working set", "peak held", "held at end", "after idle", "after trim", "heap kept", "time ms");
        for (String c : CONTENDERS) {
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
                    "-cp", cp, VirtualThreadFootprint.class.getName(), c));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println(line);
                }
            }
            if (p.waitFor() != 0) {
                throw new IllegalStateException(c + " failed: exit " + p.exitValue() + " " + new File(java));
            }
        }
    }

    private static ExecutorService virtualThreads() {
        try {
            return (ExecutorService) MethodHandles.publicLookup().findStatic(java.util.concurrent.Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class)).invoke();
        } catch (NoSuchMethodException e) {
            return null;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static long held(BufferPool memkit, ByteBufAllocator netty) {
        if (memkit != null) {
            return memkit.stats().bytesReserved();
        }
        return ((io.netty.buffer.ByteBufAllocatorMetricProvider) netty).metric().usedDirectMemory();
    }

    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** What one virtual thread does with a buffer of some allocator. */
    private interface Round {
        void run(AtomicInteger live, AtomicInteger peak);
    }

    private static void note(AtomicInteger live, AtomicInteger peak) {
        int now = live.incrementAndGet();
        int p;
        while ((p = peak.get()) < now && !peak.compareAndSet(p, now)) {
            Thread.onSpinWait();
        }
    }

    static void runOne(String contender) throws Exception {
        ExecutorService probe = virtualThreads();
        if (probe == null) {
            System.out.printf(Locale.ROOT, "%-14s needs JDK 21+ (virtual threads); this is %s%n", contender,
                    Runtime.version());
            return;
        }
        probe.shutdown();
        long heapBefore = heapAfterGc();
        BufferPool pool = null;
        ByteBufAllocator netty = null;
        Round round;
        switch (contender) {
            case "memkit": {
                BufferPool p = BufferPool.builder().name("vt-footprint")
                        .idleTimeout(java.time.Duration.ofMillis(IDLE_MILLIS / 2)).build();
                pool = p;
                round = (live, peak) -> {
                    try (PooledBuffer b = p.acquire(SIZE)) {
                        note(live, peak);
                        b.byteBuffer().put(0, (byte) 1);
                        Thread.yield();
                        live.decrementAndGet();
                    }
                };
                break;
            }
            case "nettyPooled":
            case "nettyAdaptive": {
                ByteBufAllocator a = contender.equals("nettyPooled") ? PooledByteBufAllocator.DEFAULT
                        : new AdaptiveByteBufAllocator();
                netty = a;
                round = (live, peak) -> {
                    ByteBuf b = a.directBuffer(SIZE);
                    note(live, peak);
                    b.setByte(0, 1);
                    Thread.yield();
                    live.decrementAndGet();
                    b.release();
                };
                break;
            }
            default:
                throw new IllegalArgumentException("unknown allocator " + contender + "; one of "
                        + String.join(", ", CONTENDERS));
        }
        AtomicInteger live = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        BufferPool memkit = pool;
        ByteBufAllocator nettyAllocator = netty;
        java.util.concurrent.atomic.AtomicLong peakHeld = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                long held = held(memkit, nettyAllocator);
                if (held > peakHeld.get()) {
                    peakHeld.set(held);
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sampler");
        sampler.setDaemon(true);
        sampler.start();
        long t0 = System.nanoTime();
        ExecutorService vts = virtualThreads();
        for (int i = 0; i < THREADS; i++) {
            vts.execute(() -> {
                for (int r = 0; r < ROUNDS; r++) {
                    round.run(live, peak);
                }
            });
        }
        vts.shutdown();
        if (!vts.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("virtual threads did not finish");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        running.set(false);
        sampler.join();
        long heldAtEnd = held(memkit, nettyAllocator);
        long peakSeen = Math.max(peakHeld.get(), memkit != null ? memkit.stats().peakBytesReserved() : 0);
        Thread.sleep(IDLE_MILLIS);
        long heldAfterIdle = held(memkit, nettyAllocator);
        String afterTrim = "n/a";
        if (memkit != null) {
            memkit.trim();
            afterTrim = Long.toString(memkit.stats().bytesReserved());
        }
        long heapKept = heapAfterGc() - heapBefore;
        System.out.printf(Locale.ROOT, "%-14s %10d %14d %14d %14d %14d %14s %12d %9d%n", contender, peak.get(),
                (long) peak.get() * SIZE, peakSeen, heldAtEnd, heldAfterIdle, afterTrim, heapKept, millis);
        // keep the allocator reachable until after the heap was measured
        if (pool != null) {
            pool.close();
        }
        java.lang.ref.Reference.reachabilityFence(netty);
    }
}
