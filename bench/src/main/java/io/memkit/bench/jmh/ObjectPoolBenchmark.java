package io.memkit.bench.jmh;

import io.memkit.pools.Exhausted;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.ObjectPool;
import io.memkit.pools.Pooled;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import stormpot.Allocator;
import stormpot.Expiration;
import stormpot.Pool;
import stormpot.Slot;
import stormpot.Timeout;

/**
 * Scratch objects: borrow a {@code StringBuilder(256)}, append a few fields, consume the result,
 * give it back. memkit's {@link ObjectPool} against a fresh {@code new StringBuilder(256)} per call
 * (once where the JIT may remove it, once where it escapes), commons-pool2's
 * {@code GenericObjectPool}, Stormpot 3.2 and a pool made of a {@link ConcurrentLinkedQueue}.
 *
 * <p>Run on 1 and 2 threads, with the GC profiler to see bytes per operation:
 * {@code java -jar bench/target/memkit-bench.jar jmh ObjectPoolBenchmark -t 1 -prof gc} and again
 * with {@code -t 2}. Every pool resets the builder ({@code setLength(0)}) before reuse, so all do
 * the same work; all pools are shared by the benchmark threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// A fixed, pre-touched heap: the baselines allocate 296 B per call, and on a fresh heap the first
// seconds measure the kernel faulting in new pages (up to 1 us per call seen here), not allocation.
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class ObjectPoolBenchmark {

    static final int CAPACITY = 256;
    static final String KEY = "user=";

    /** The pools, shared by all benchmark threads. */
    @State(Scope.Benchmark)
    public static class Pools {
        ObjectPool<StringBuilder> memkit;
        ObjectPool<StringBuilder> memkitSampled;
        ObjectPool<StringBuilder> memkitNoReset;
        GenericObjectPool<StringBuilder> commons;
        Pool<stormpot.Pooled<StringBuilder>> stormpot;
        final ConcurrentLinkedQueue<StringBuilder> queue = new ConcurrentLinkedQueue<>();
        final Timeout timeout = new Timeout(10, TimeUnit.SECONDS);

        @Setup(Level.Trial)
        public void setUp() {
            memkit = ObjectPool.builder(() -> new StringBuilder(CAPACITY)).name("bench-off")
                    .reset(sb -> sb.setLength(0)).leakDetection(LeakDetection.OFF).maxTotal(64)
                    .whenExhausted(Exhausted.WAIT).build();
            memkitNoReset = ObjectPool.builder(() -> new StringBuilder(CAPACITY)).name("bench-no-reset")
                    .leakDetection(LeakDetection.OFF).maxTotal(64).whenExhausted(Exhausted.WAIT).build();
            memkitSampled = ObjectPool.builder(() -> new StringBuilder(CAPACITY)).name("bench-sampled")
                    .reset(sb -> sb.setLength(0)).leakDetection(LeakDetection.SAMPLED).maxTotal(64).build();
            GenericObjectPoolConfig<StringBuilder> config = new GenericObjectPoolConfig<>();
            config.setMaxTotal(64);
            config.setMaxIdle(64);
            config.setJmxEnabled(false);
            commons = new GenericObjectPool<>(new BasePooledObjectFactory<StringBuilder>() {
                @Override
                public StringBuilder create() {
                    return new StringBuilder(CAPACITY);
                }

                @Override
                public PooledObject<StringBuilder> wrap(StringBuilder sb) {
                    return new DefaultPooledObject<>(sb);
                }

                @Override
                public void passivateObject(PooledObject<StringBuilder> p) {
                    p.getObject().setLength(0);
                }
            }, config);
            stormpot = Pool.from(new Allocator<stormpot.Pooled<StringBuilder>>() {
                @Override
                public stormpot.Pooled<StringBuilder> allocate(Slot slot) {
                    return new stormpot.Pooled<>(slot, new StringBuilder(CAPACITY));
                }

                @Override
                public void deallocate(stormpot.Pooled<StringBuilder> poolable) {
                    // nothing to free
                }
            }).setSize(64).setExpiration(Expiration.never()).build();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            memkit.close();
            memkitSampled.close();
            memkitNoReset.close();
            commons.close();
            stormpot.shutdown().await(new Timeout(10, TimeUnit.SECONDS));
        }
    }

    /** Per-thread input, so that the appended value is not a constant. */
    @State(Scope.Thread)
    public static class Input {
        int id;
    }

    private static int fill(StringBuilder sb, Input in) {
        sb.append(KEY).append(in.id++).append(";role=").append('x');
        return sb.length();
    }

    /** Baseline: a fresh builder per call that does not escape, so the JIT may remove it. */
    @Benchmark
    public int newPerCall(Input in) {
        return fill(new StringBuilder(CAPACITY), in);
    }

    /** Baseline: a fresh builder per call that escapes to the Blackhole, as one stored or passed on does. */
    @Benchmark
    public void newPerCallEscaping(Input in, Blackhole bh) {
        StringBuilder sb = new StringBuilder(CAPACITY);
        fill(sb, in);
        bh.consume(sb);
    }

    /** memkit, leak detection OFF: the handle stays inside try-with-resources. */
    @Benchmark
    public int memkit(Pools pools, Input in) {
        try (Pooled<StringBuilder> sb = pools.memkit.acquire()) {
            return fill(sb.get(), in);
        }
    }

    /**
     * memkit, leak detection OFF, acquire and close around a body the JIT inlines whole (reading
     * the builder's length): the pool's cost alone, to compare with
     * {@link #stormpotClaimReleaseOnly}. {@link #memkit}'s body makes calls the JIT does not
     * inline ({@code StringBuilder.append}), so its try block has an exceptional exit; both are
     * 0 B/op.
     */
    @Benchmark
    public int memkitAcquireCloseOnly(Pools pools) {
        try (Pooled<StringBuilder> sb = pools.memkit.acquire()) {
            return sb.get().length();
        }
    }

    /**
     * memkit, leak detection OFF, no reset: acquire and close around the trivial body, without the
     * release callbacks (the user's reset call and the bookkeeping that lets close() be called from
     * it). With {@link #memkitAcquireCloseOnly}: what the callback path costs.
     */
    @Benchmark
    public int memkitNoResetAcquireCloseOnly(Pools pools) {
        try (Pooled<StringBuilder> sb = pools.memkitNoReset.acquire()) {
            return sb.get().length();
        }
    }

    /**
     * A pool whose release call site has seen four reset types before it was compiled, as in an
     * application with several pools: the pools share one release method, so its call of the
     * reset is then a virtual call rather than inlined code.
     */
    @State(Scope.Benchmark)
    public static class MegamorphicPools {
        ObjectPool<StringBuilder> measured;
        final java.util.List<ObjectPool<StringBuilder>> others = new java.util.ArrayList<>();

        @Setup(Level.Trial)
        public void setUp() {
            measured = ObjectPool.builder(() -> new StringBuilder(CAPACITY)).name("bench-megamorphic")
                    .reset(sb -> sb.setLength(0)).leakDetection(LeakDetection.OFF).maxTotal(64).build();
            others.add(ObjectPool.builder(() -> new StringBuilder(CAPACITY)).name("bench-other-1")
                    .reset(sb -> sb.delete(0, sb.length())).leakDetection(LeakDetection.OFF).build());
            others.add(ObjectPool.builder(() -> new StringBuilder(CAPACITY)).name("bench-other-2")
                    .reset(sb -> sb.replace(0, sb.length(), "")).leakDetection(LeakDetection.OFF).build());
            others.add(ObjectPool.builder(() -> new StringBuilder(CAPACITY)).name("bench-other-3")
                    .reset(StringBuilder::trimToSize).leakDetection(LeakDetection.OFF).build());
            for (int i = 0; i < 20_000; i++) {
                for (ObjectPool<StringBuilder> pool : others) {
                    try (Pooled<StringBuilder> sb = pool.acquire()) {
                        sb.get().append('x');
                    }
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            measured.close();
            others.forEach(ObjectPool::close);
        }
    }

    /** {@link #memkitAcquireCloseOnly} where the reset call is megamorphic (see {@link MegamorphicPools}). */
    @Benchmark
    public int memkitAcquireCloseOnlyMegamorphicReset(MegamorphicPools pools) {
        try (Pooled<StringBuilder> sb = pools.measured.acquire()) {
            return sb.get().length();
        }
    }

    /** A thread's own padded stamp, for the compare-and-set baselines. */
    @State(Scope.Thread)
    public static class Stamp {
        static final java.lang.invoke.VarHandle STAMP;

        static {
            try {
                STAMP = java.lang.invoke.MethodHandles.lookup().findVarHandle(Stamp.class, "stamp", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        long p0, p1, p2, p3, p4, p5, p6, p7;
        long stamp;
        long q0, q1, q2, q3, q4, q5, q6, q7;
    }

    /**
     * Baseline: one uncontended compare-and-set and a release store on a thread's own line, the
     * atomics of a pool whose release needs no compare-and-set (Stormpot's claim and release).
     */
    @Benchmark
    public long casThenReleaseStore(Stamp st) {
        long s = (long) Stamp.STAMP.getVolatile(st);
        Stamp.STAMP.compareAndSet(st, s, s + 1);
        Stamp.STAMP.setRelease(st, s + 4);
        return s;
    }

    /**
     * Baseline: two uncontended compare-and-sets and a release store, the atomics of memkit's
     * acquire and close (claim, end the loan exactly once, make it idle again).
     */
    @Benchmark
    public long twoCasThenReleaseStore(Stamp st) {
        long s = (long) Stamp.STAMP.getVolatile(st);
        Stamp.STAMP.compareAndSet(st, s, s + 1);
        Stamp.STAMP.compareAndSet(st, s + 1, s + 2);
        Stamp.STAMP.setRelease(st, s + 4);
        return s;
    }

    /** Stormpot claim and release around the same trivial body, to compare with the one above. */
    @Benchmark
    public int stormpotClaimReleaseOnly(Pools pools) throws InterruptedException {
        stormpot.Pooled<StringBuilder> p = pools.stormpot.claim(pools.timeout);
        try {
            return p.object.length();
        } finally {
            p.release();
        }
    }

    /** memkit, leak detection OFF, with the builder itself handed to the Blackhole while held. */
    @Benchmark
    public void memkitObjectEscapes(Pools pools, Input in, Blackhole bh) {
        try (Pooled<StringBuilder> sb = pools.memkit.acquire()) {
            fill(sb.get(), in);
            bh.consume(sb.get());
        }
    }

    /** memkit, leak detection OFF, with the handle escaping to the Blackhole: one handle per call. */
    @Benchmark
    public void memkitHandleEscapes(Pools pools, Input in, Blackhole bh) {
        try (Pooled<StringBuilder> sb = pools.memkit.acquire()) {
            fill(sb.get(), in);
            bh.consume(sb);
        }
    }

    /** memkit with the default leak detection (SAMPLED: about one acquire in 128 captures its stack). */
    @Benchmark
    public int memkitSampled(Pools pools, Input in) {
        try (Pooled<StringBuilder> sb = pools.memkitSampled.acquire()) {
            return fill(sb.get(), in);
        }
    }

    /** memkit SAMPLED around the trivial body of {@link #memkitAcquireCloseOnly}: what tracking adds. */
    @Benchmark
    public int memkitSampledAcquireCloseOnly(Pools pools) {
        try (Pooled<StringBuilder> sb = pools.memkitSampled.acquire()) {
            return sb.get().length();
        }
    }

    /** commons-pool2 GenericObjectPool borrow and return. */
    @Benchmark
    public int commonsPool2(Pools pools, Input in) throws Exception {
        StringBuilder sb = pools.commons.borrowObject();
        try {
            return fill(sb, in);
        } finally {
            pools.commons.returnObject(sb);
        }
    }

    /** Stormpot 3.2 claim and release (the builder is reset by hand: Stormpot has no reset hook). */
    @Benchmark
    public int stormpot(Pools pools, Input in) throws InterruptedException {
        stormpot.Pooled<StringBuilder> p = pools.stormpot.claim(pools.timeout);
        try {
            return fill(p.object, in);
        } finally {
            p.object.setLength(0);
            p.release();
        }
    }

    /** A ConcurrentLinkedQueue as the pool: poll or make, offer back. */
    @Benchmark
    public int concurrentLinkedQueue(Pools pools, Input in) {
        StringBuilder sb = pools.queue.poll();
        if (sb == null) {
            sb = new StringBuilder(CAPACITY);
        }
        try {
            return fill(sb, in);
        } finally {
            sb.setLength(0);
            pools.queue.offer(sb);
        }
    }
}
