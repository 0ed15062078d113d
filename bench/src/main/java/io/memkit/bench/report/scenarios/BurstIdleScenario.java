package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Format;
import io.memkit.bench.report.GcCounters;
import io.memkit.bench.report.LineChart;
import io.memkit.bench.report.Role;
import io.memkit.bench.report.Scenario;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.ScenarioResult;
import io.memkit.bench.report.Sink;
import io.memkit.bench.report.VariantResult;
import io.memkit.pools.BufferPool;
import io.memkit.pools.PooledBuffer;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Burst then idle: how much direct memory each allocator still holds some time after a burst of
 * concurrent tasks has ended, against the program's live set.
 *
 * <p>Per allocator: a small steady live set is leased first and held throughout (what a server
 * keeps in use at low traffic). Then a burst: many tasks (virtual threads on JDK 21+, all at once;
 * on 17 a pool of {@value #PLATFORM_THREADS} platform threads, in waves of that many) each lease two
 * 4 KiB and one 64 KiB buffer, write to them, wait until every task of their wave holds its
 * buffers, and release them. Then idle for a fixed time, with a trickle of one 4 KiB and one
 * 64 KiB acquire+release per 100 ms tick, sampling the memory held (memkit
 * {@code stats().bytesReserved()}, Netty {@code metric().usedDirectMemory()}) and the live set
 * (memkit {@code bytesInUse()}, for Netty the bytes of its open buffers). The row's figure is the
 * memory held at the end of the idle time per byte of the live set.
 *
 * <p>The bursts run one after the other; each allocator's idle time starts at the end of its own
 * burst, so the idle times of earlier allocators overlap later bursts. Each allocator's own
 * counter is read, so none is charged another's memory, and the scenario takes one idle time in
 * all rather than one per allocator.
 */
public final class BurstIdleScenario implements Scenario {
    /** Bytes of the small buffers. */
    public static final int SMALL = 4 * 1024;
    /** Bytes of the large buffers. */
    public static final int LARGE = 64 * 1024;
    /** Small buffers each burst task holds. */
    static final int SMALL_PER_TASK = 2;
    /** Large buffers each burst task holds. */
    static final int LARGE_PER_TASK = 1;
    /** Buffers of each size held before, during and after the burst: the live set at low traffic. */
    static final int STEADY_PER_SIZE = 8;
    /** Platform threads that run the burst where virtual threads are missing (JDK 17-20). */
    static final int PLATFORM_THREADS = 256;
    /** Time between samples (and trickle operations) in milliseconds. */
    static final long TICK_MILLIS = 100;
    /** The chart every allocator adds its line to. */
    static final LineChart HELD = LineChart.of("held", "Direct memory held: burst then idle",
            "time since the burst started", "s", "direct memory held", LineChart.BYTES);

    /** How long a task waits for the rest of its wave before it lets go anyway. */
    private static final long GATE_SECONDS = 10;

    private final int tasks;
    private final long idleMillis;

    /** The report's scenario: 256 burst tasks and 2 s idle in a quick run, 2,048 and 10 s in a full one. */
    public BurstIdleScenario() {
        this(0, 0);
    }

    /**
     * A shorter or longer run, e.g. for tests.
     *
     * @param tasks      burst tasks, or 0 for the report's choice
     * @param idleMillis idle time per allocator, or 0 for the report's choice
     */
    BurstIdleScenario(int tasks, long idleMillis) {
        if (tasks < 0 || idleMillis < 0) {
            throw new IllegalArgumentException("tasks and idleMillis must be >= 0: " + tasks + ", " + idleMillis);
        }
        this.tasks = tasks;
        this.idleMillis = idleMillis;
    }

    @Override
    public String id() {
        return "burst-idle";
    }

    @Override
    public String title() {
        return "Burst then idle: direct memory held vs live set";
    }

    @Override
    public String description() {
        return "A steady live set of " + STEADY_PER_SIZE + " x 4 KiB and " + STEADY_PER_SIZE + " x 64 KiB leases is "
                + "held throughout; a burst of tasks (virtual threads on JDK 21+, all at once; on 17 waves of "
                + PLATFORM_THREADS + " platform threads) each holds 2 x 4 KiB and 1 x 64 KiB until every task of its wave "
                + "holds its buffers, then releases them; then the allocator idles, with one 4 KiB and one 64 KiB "
                + "acquire+release per 100 ms. bytes/unit: direct memory the allocator holds at the end of the idle time "
                + "per byte of the live set (1.0 = it holds only what is in use); direct: the bytes it holds then; "
                + "ns/unit: the burst's wall time per byte of its peak live set (burstNsPerTask gives it per task); "
                + "GCs: collections during the burst. memkit BufferPool with idleTimeout half the idle time (so the "
                + "idle time is two timeouts: idle decay's target is at most 1.5 x the live set by then), with the "
                + "builder defaults (idleTimeout 30 s, longer than the idle time here), the same with trim() when the "
                + "burst ends, and fresh Netty 4.2 PooledByteBufAllocator and AdaptiveByteBufAllocator instances.";
    }

    @Override
    public String unit() {
        return "live byte";
    }

    @Override
    public String bytesLabel() {
        return "direct bytes held at the end of the idle time";
    }

    @Override
    public ScenarioResult run(ScenarioContext context) {
        long t0 = System.nanoTime();
        boolean quick = context.settings().quick();
        // 256 tasks: one wave on both 17's platform threads and 21+'s virtual threads, so the quick figures compare
        int tasks = this.tasks > 0 ? this.tasks : quick ? 256 : 2048;
        long idleMillis = this.idleMillis > 0 ? this.idleMillis : quick ? 2000 : 10_000;
        ExecutorService virtualExecutor = virtualThreads();
        boolean virtual = virtualExecutor != null;
        int wave = virtual ? tasks : Math.min(tasks, PLATFORM_THREADS);
        context.progress(tasks + " burst tasks on " + (virtual ? "virtual threads" : PLATFORM_THREADS + " platform threads")
                + ", then " + idleMillis + " ms idle per allocator");
        List<Contender> contenders = List.of(new MemkitPool(false, java.time.Duration.ofMillis(idleMillis / 2)),
                new MemkitPool(false, null), new MemkitPool(true, null), new NettyPooled(), new NettyAdaptive());
        // one executor for every run, its platform threads started before any burst: a burst then times the
        // allocator, not the creation of its threads
        ExecutorService executor = virtual ? virtualExecutor : platformThreads(wave);
        try {
            return run(context, contenders, executor, tasks, wave, idleMillis, t0);
        } finally {
            executor.shutdownNow();
        }
    }

    private ScenarioResult run(ScenarioContext context, List<Contender> contenders, ExecutorService executor, int tasks,
                               int wave, long idleMillis, long t0) {
        long burstTimeoutNanos = TimeUnit.SECONDS.toNanos(context.settings().childSeconds());
        List<Run> runs = new ArrayList<>();
        for (Contender c : contenders) {
            runs.add(new Run(c, tasks, wave, executor));
        }
        context.settle();
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
        int next = 0;
        Run bursting = null;
        long nextTick = System.nanoTime();
        while (true) {
            if (bursting == null && next < runs.size()) {
                bursting = runs.get(next++);
                context.progress(bursting.contender.name + ": burst");
                bursting.start();
                if (bursting.failed()) {
                    bursting = null;
                    continue;
                }
            }
            if (bursting != null) {
                bursting.awaitBurst(Math.max(0, nextTick - System.nanoTime()), burstTimeoutNanos);
                if (bursting.burstOver()) {
                    if (!bursting.failed()) {
                        context.progress(bursting.contender.name + ": idle");
                    }
                    bursting = null;
                }
            } else {
                sleepUntil(nextTick);
            }
            long now = System.nanoTime();
            if (now - nextTick >= 0) {
                boolean active = false;
                for (Run r : runs) {
                    active |= r.tick(now, idleNanos);
                }
                nextTick += tickNanos;
                if (nextTick - now < 0) {
                    nextTick = now + tickNanos; // a slow tick on a busy machine: skip the missed ones
                }
                if (!active && bursting == null && next == runs.size()) {
                    break;
                }
            }
        }
        List<VariantResult> results = new ArrayList<>();
        StringBuilder notes = new StringBuilder();
        for (Run r : runs) {
            results.add(r.result());
            if (r.series != null) {
                context.addSeries(HELD, r.series.build());
            }
            notes.append(r.note(idleMillis));
        }
        for (Run r : runs) {
            if (r.liveSeries != null) {
                context.addSeries(HELD, r.liveSeries.build());
                notes.append("The live set line is from the " + r.contender.name + " run; the others run the same "
                        + "workload. ");
                break;
            }
        }
        notes.append("Idle times of earlier allocators overlap later bursts; each allocator's own counter is read.\n");
        return context.drainAttachments(new ScenarioResult(id(), title(), description(), unit(), bytesLabel(), results,
                notes.toString(), null, (System.nanoTime() - t0) / 1e9));
    }

    private static void sleepUntil(long deadline) {
        long wait = deadline - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A virtual-thread-per-task executor on JDK 21+, found by method handle since bench compiles for 17; else null. */
    static ExecutorService virtualThreads() {
        try {
            return (ExecutorService) MethodHandles.publicLookup().findStatic(Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class)).invoke();
        } catch (NoSuchMethodException e) {
            return null;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create a virtual thread executor", e);
        }
    }

    private static ExecutorService platformThreads(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread t = new Thread(task, "burst-idle-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.prestartAllCoreThreads();
        return pool;
    }

    /** One sample of an allocator: when, what it holds, what is in use. */
    private record Sample(long nanos, long held, long live) {
    }

    /** One allocator's run: steady leases, burst, idle, and its samples. */
    private static final class Run {
        final Contender contender;
        private final int tasks;
        private final int wave;
        private final ExecutorService executor;
        private final ConcurrentLinkedQueue<Sample> gateSamples = new ConcurrentLinkedQueue<>();
        private final AtomicLong checksum = new AtomicLong();
        private final List<Object> steady = new ArrayList<>();
        private final List<Sample> samples = new ArrayList<>();
        private final List<Future<?>> futures = new ArrayList<>();
        LineChart.Series.Builder series;
        LineChart.Series.Builder liveSeries;
        private boolean started;
        private int finished;
        private long burstStart;
        private long burstEnd;
        private long allocatorPeak;
        private GcCounters gcBefore;
        private GcCounters gcDuring;
        private boolean idle;
        private boolean done;
        private long peakHeld;
        private long peakLive;
        private long heldAtEnd;
        private long liveAtEnd;
        private long trimmed = -1;
        private String error;

        Run(Contender contender, int tasks, int wave, ExecutorService executor) {
            this.contender = contender;
            this.tasks = tasks;
            this.wave = wave;
            this.executor = executor;
        }

        boolean failed() {
            return error != null;
        }

        boolean burstOver() {
            return failed() || idle;
        }

        /** Sets up the allocator and its steady leases and starts the burst; a failure ends this run alone. */
        void start() {
            try {
                contender.setUp();
                for (int i = 0; i < STEADY_PER_SIZE; i++) {
                    steady.add(contender.acquire(SMALL));
                    steady.add(contender.acquire(LARGE));
                }
                gcBefore = GcCounters.now();
                burstStart = System.nanoTime();
                samples.add(new Sample(burstStart, contender.held(), contender.live()));
                started = true;
                // a latch per wave; a fixed pool takes tasks in order, so each wave fills the pool before the next starts
                for (int first = 0; first < tasks; first += wave) {
                    int size = Math.min(wave, tasks - first);
                    CountDownLatch gate = new CountDownLatch(size);
                    AtomicInteger arrived = new AtomicInteger();
                    for (int i = 0; i < size; i++) {
                        futures.add(executor.submit(() -> {
                            task(gate, arrived, size);
                            return null;
                        }));
                    }
                }
            } catch (Exception | LinkageError | OutOfMemoryError e) {
                fail(e);
            }
        }

        /** One burst task: lease, write, wait for the wave, release. */
        private void task(CountDownLatch gate, AtomicInteger arrived, int size) throws InterruptedException {
            Object[] held = new Object[SMALL_PER_TASK + LARGE_PER_TASK];
            long sum = 0;
            try {
                try {
                    for (int i = 0; i < held.length; i++) {
                        held[i] = contender.acquire(i < SMALL_PER_TASK ? SMALL : LARGE);
                        sum += contender.touch(held[i]);
                    }
                    if (arrived.incrementAndGet() == size) {
                        // the last task of the wave samples before it opens the gate: the wave's peak, exactly
                        gateSamples.add(new Sample(System.nanoTime(), contender.held(), contender.live()));
                    }
                } finally {
                    gate.countDown();
                }
                // bounded: a task that waits in vain lets go and the peak is lower, rather than the burst hanging
                gate.await(GATE_SECONDS, TimeUnit.SECONDS);
            } finally {
                for (Object b : held) {
                    if (b != null) {
                        contender.release(b);
                    }
                }
                checksum.addAndGet(sum);
            }
        }

        /** Waits up to {@code nanos} for the burst; when it is over, samples its end and trims if asked. */
        void awaitBurst(long nanos, long timeoutNanos) {
            long deadline = System.nanoTime() + nanos;
            try {
                while (finished < futures.size()) {
                    try {
                        futures.get(finished).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        finished++;
                    } catch (TimeoutException e) {
                        if (System.nanoTime() - burstStart > timeoutNanos) {
                            cancelBurst();
                            fail(new IllegalStateException("burst of " + tasks + " tasks did not end within "
                                    + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s"));
                        }
                        return;
                    }
                }
                burstEnd = System.nanoTime();
                gcDuring = GcCounters.now();
                futures.clear();
                Sink.publish(checksum.get());
                drainGateSamples();
                samples.add(new Sample(burstEnd, contender.held(), contender.live()));
                if (contender.trimsAfterBurst()) {
                    trimmed = contender.trim();
                    samples.add(new Sample(System.nanoTime(), contender.held(), contender.live()));
                }
                idle = true;
            } catch (ExecutionException e) {
                cancelBurst();
                fail(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(e);
            } catch (Exception | LinkageError | OutOfMemoryError e) {
                fail(e);
            }
        }

        /** Interrupts the burst's tasks still waiting at their gate; they release what they hold. */
        private void cancelBurst() {
            for (Future<?> f : futures) {
                f.cancel(true);
            }
        }

        private void drainGateSamples() {
            for (Sample s; (s = gateSamples.poll()) != null; ) {
                samples.add(s);
            }
        }

        /**
         * A tick: samples the allocator while its burst runs or it idles, and runs the trickle while it
         * idles; ends the run when its idle time is over.
         *
         * @return whether this run still needs ticks (not yet started counts)
         */
        boolean tick(long now, long idleNanos) {
            if (done) {
                return false;
            }
            if (failed()) {
                finish();
                return false;
            }
            if (!started) {
                return true;
            }
            try {
                if (idle) {
                    Object small = contender.acquire(SMALL);
                    Object large = contender.acquire(LARGE);
                    checksum.addAndGet(contender.touch(small) + contender.touch(large));
                    contender.release(large);
                    contender.release(small);
                }
                drainGateSamples();
                samples.add(new Sample(now, contender.held(), contender.live()));
                if (idle && now - burstEnd >= idleNanos) {
                    heldAtEnd = contender.held();
                    liveAtEnd = contender.live();
                    allocatorPeak = contender.peakHeld();
                    finish();
                    return false;
                }
            } catch (Exception | LinkageError | OutOfMemoryError e) {
                fail(e);
                finish();
                return false;
            }
            return true;
        }

        /** The held and live lines, in time order (a wave's peak sample may be queued after a later tick's). */
        private void buildSeries() {
            samples.sort((a, b) -> Long.compare(a.nanos, b.nanos));
            series = LineChart.Series.builder(contender.name, contender.role);
            liveSeries = LineChart.Series.builder("live set (bytes in use)", Role.REFERENCE);
            for (Sample s : samples) {
                double x = (s.nanos - burstStart) / 1e9;
                series.add(x, s.held);
                liveSeries.add(x, s.live);
                peakHeld = Math.max(peakHeld, s.held);
                peakLive = Math.max(peakLive, s.live);
            }
            peakHeld = Math.max(peakHeld, allocatorPeak);
        }

        private void fail(Throwable e) {
            if (error == null) {
                error = ScenarioContext.describe(e);
            }
        }

        /** Releases the steady leases and the allocator; a failure here fails the row only if it ran. */
        private void finish() {
            done = true;
            try {
                for (Object b : steady) {
                    contender.release(b);
                }
                steady.clear();
                contender.tearDown();
            } catch (Exception | LinkageError e) {
                fail(e);
            }
        }

        VariantResult result() {
            if (error != null) {
                series = null;
                liveSeries = null;
                return VariantResult.failed(contender.name, contender.role, error);
            }
            if (!done) {
                return VariantResult.failed(contender.name, contender.role, "did not run");
            }
            buildSeries();
            double ratio = liveAtEnd > 0 ? (double) heldAtEnd / liveAtEnd : Double.NaN;
            double burstNanos = burstEnd - burstStart;
            Map<String, Double> extras = new LinkedHashMap<>();
            extras.put("heldBytes", (double) heldAtEnd);
            extras.put("liveBytes", (double) liveAtEnd);
            extras.put("heldToLive", ratio);
            extras.put("peakHeldBytes", (double) peakHeld);
            extras.put("peakLiveBytes", (double) peakLive);
            extras.put("burstTasks", (double) tasks);
            extras.put("burstConcurrency", (double) wave);
            extras.put("burstMillis", burstNanos / 1e6);
            extras.put("burstNsPerTask", burstNanos / tasks);
            if (trimmed >= 0) {
                extras.put("trimmedBytes", (double) trimmed);
            }
            long gcCount = gcBefore.count() >= 0 ? gcDuring.count() - gcBefore.count() : -1;
            long gcMillis = gcBefore.millis() >= 0 ? gcDuring.millis() - gcBefore.millis() : -1;
            // per byte of the peak live set, as the page labels the time figure per unit
            return new VariantResult(contender.name, contender.role, ratio, burstNanos / Math.max(1, peakLive), gcCount,
                    gcMillis, heldAtEnd, peakLive, extras, null);
        }

        String note(long idleMillis) {
            if (error != null) {
                return contender.name + ": FAILED: " + error + "\n";
            }
            return String.format(Locale.ROOT, "%s: peak held %s (live %s); %.1f s after the burst held %s for a live set "
                            + "of %s = %.2fx%s.%n", contender.name, Format.memory(peakHeld),
                    Format.memory(peakLive), idleMillis / 1e3, Format.memory(heldAtEnd), Format.memory(liveAtEnd),
                    (double) heldAtEnd / Math.max(1, liveAtEnd),
                    trimmed >= 0 ? "; trim() after the burst released " + Format.memory(trimmed) : "");
        }
    }

    /** An allocator under test; a handle is whatever its acquire returns. Thread-safe where the allocator is. */
    abstract static class Contender {
        final String name;
        final Role role;

        Contender(String name, Role role) {
            this.name = name;
            this.role = role;
        }

        abstract void setUp();

        abstract Object acquire(int size);

        /** Writes to the buffer's first and last byte, as a user would; returns a checksum term. */
        abstract long touch(Object buffer);

        abstract void release(Object buffer);

        /** Direct memory the allocator holds now, by its own count. */
        abstract long held();

        /** Bytes of buffers in use now. */
        abstract long live();

        /** The highest {@link #held()} the allocator itself has seen, or 0 where it does not say. */
        long peakHeld() {
            return 0;
        }

        boolean trimsAfterBurst() {
            return false;
        }

        long trim() {
            return 0;
        }

        abstract void tearDown();
    }

    /**
     * memkit's BufferPool with the builder's defaults, or with an idle timeout of half the idle
     * time (so the idle time is two timeouts), or trimmed when the burst ends.
     */
    static final class MemkitPool extends Contender {
        private final boolean trimAfterBurst;
        /** Null: the builder's default. */
        private final java.time.Duration idleTimeout;
        private BufferPool pool;

        MemkitPool(boolean trimAfterBurst, java.time.Duration idleTimeout) {
            super(trimAfterBurst ? "memkit BufferPool, trim() after the burst"
                    : idleTimeout != null ? "memkit BufferPool, idleTimeout " + idleTimeout.toMillis() + " ms"
                    : "memkit BufferPool (default idleTimeout 30 s)", Role.MEMKIT);
            this.trimAfterBurst = trimAfterBurst;
            this.idleTimeout = idleTimeout;
        }

        @Override
        void setUp() {
            BufferPool.Builder b = BufferPool.builder().name(trimAfterBurst ? "burst-idle-trim"
                    : idleTimeout != null ? "burst-idle-decay" : "burst-idle");
            if (idleTimeout != null) {
                b.idleTimeout(idleTimeout);
            }
            pool = b.build();
        }

        @Override
        Object acquire(int size) {
            return pool.acquire(size);
        }

        @Override
        long touch(Object buffer) {
            java.nio.ByteBuffer b = ((PooledBuffer) buffer).byteBuffer();
            b.put(0, (byte) 1);
            b.put(b.capacity() - 1, (byte) 2);
            return b.capacity();
        }

        @Override
        void release(Object buffer) {
            ((PooledBuffer) buffer).close();
        }

        @Override
        long held() {
            return pool.stats().bytesReserved();
        }

        @Override
        long live() {
            return pool.stats().bytesInUse();
        }

        @Override
        long peakHeld() {
            return pool.stats().peakBytesReserved();
        }

        @Override
        boolean trimsAfterBurst() {
            return trimAfterBurst;
        }

        @Override
        long trim() {
            return pool.trim();
        }

        @Override
        void tearDown() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** A Netty allocator: a fresh instance per run, so that runs share no arenas or caches. */
    abstract static class Netty extends Contender {
        private final AtomicLong live = new AtomicLong();
        private ByteBufAllocator allocator;

        Netty(String name) {
            super(name, Role.PEER);
        }

        abstract ByteBufAllocator create();

        @Override
        void setUp() {
            allocator = create();
        }

        @Override
        Object acquire(int size) {
            ByteBuf b = allocator.directBuffer(size, size);
            live.addAndGet(b.capacity());
            return b;
        }

        @Override
        long touch(Object buffer) {
            ByteBuf b = (ByteBuf) buffer;
            b.setByte(0, 1);
            b.setByte(b.capacity() - 1, 2);
            return b.capacity();
        }

        @Override
        void release(Object buffer) {
            ByteBuf b = (ByteBuf) buffer;
            live.addAndGet(-b.capacity());
            b.release();
        }

        @Override
        long held() {
            return ((ByteBufAllocatorMetricProvider) allocator).metric().usedDirectMemory();
        }

        @Override
        long live() {
            return live.get();
        }

        @Override
        void tearDown() {
            allocator = null;
        }
    }

    /** Netty's PooledByteBufAllocator, preferring direct buffers. */
    static final class NettyPooled extends Netty {
        NettyPooled() {
            super("Netty PooledByteBufAllocator");
        }

        @Override
        ByteBufAllocator create() {
            return new PooledByteBufAllocator(true);
        }
    }

    /** Netty's AdaptiveByteBufAllocator, preferring direct buffers. */
    static final class NettyAdaptive extends Netty {
        NettyAdaptive() {
            super("Netty AdaptiveByteBufAllocator");
        }

        @Override
        ByteBufAllocator create() {
            return new AdaptiveByteBufAllocator(true);
        }
    }
}
