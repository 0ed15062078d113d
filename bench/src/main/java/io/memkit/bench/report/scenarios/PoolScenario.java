package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.Sink;
import io.memkit.bench.report.Variant;
import io.memkit.bench.report.VariantScenario;
import io.memkit.pools.BufferPool;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.PooledBuffer;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Pooled direct buffers: acquire a 4 KiB direct buffer and give it back, the operation the JMH
 * {@code BufferPoolBenchmark} measures (size 4096), so that the two can be compared: a new
 * {@code ByteBuffer.allocateDirect} each time vs memkit's {@link BufferPool} vs Netty's allocators.
 */
public final class PoolScenario extends VariantScenario {
    /** Bytes per buffer. */
    public static final int SIZE = 4096;

    @Override
    public String id() {
        return "pool";
    }

    @Override
    public String title() {
        return "Direct buffer acquire+release, 4 KiB";
    }

    @Override
    public String description() {
        return "Get a 4 KiB direct buffer, read its reference count or capacity, give it back: ByteBuffer.allocateDirect "
                + "(left to the GC; a GC runs between batches, outside the measurement) vs memkit BufferPool acquire+close "
                + "(default leak detection SAMPLED, and OFF) vs Netty 4.2 PooledByteBufAllocator and "
                + "AdaptiveByteBufAllocator directBuffer+release (Netty's default leak detection, SIMPLE). One op is one "
                + "acquire and release, as in the JMH BufferPoolBenchmark with size=4096.";
    }

    @Override
    public String unit() {
        return "acquire+release";
    }

    @Override
    protected List<Variant> variants(ScenarioContext context) {
        // OFF before SAMPLED: both run the pool's code in this JVM, and SAMPLED's profile (its tracked path
        // taken now and then) would keep the JIT from removing OFF's handle; the reverse costs SAMPLED nothing.
        return List.of(new AllocateDirect(), new Memkit(LeakDetection.OFF), new Memkit(LeakDetection.SAMPLED),
                new Netty("Netty PooledByteBufAllocator", true), new Netty("Netty AdaptiveByteBufAllocator", false));
    }

    /** Naive: a new direct buffer per op, freed when a collection runs its Cleaner. */
    static final class AllocateDirect extends Variant {
        AllocateDirect() {
            super("ByteBuffer.allocateDirect", Role.NAIVE);
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int i = 0; i < ops; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(SIZE);
                sum += b.capacity();
                Sink.keep(b);
            }
            return sum;
        }

        /** At most 64 MiB of garbage direct buffers per batch before the collection between batches. */
        @Override
        public int maxOpsPerBatch() {
            return 16 * 1024;
        }

        @Override
        public void betweenBatches() {
            System.gc();
        }
    }

    /** memkit: acquire+close at a leak detection level. */
    static final class Memkit extends Variant {
        private final LeakDetection level;
        private BufferPool pool;

        Memkit(LeakDetection level) {
            super(level == LeakDetection.SAMPLED ? "memkit BufferPool" : "memkit BufferPool, leak detection " + level,
                    Role.MEMKIT);
            this.level = level;
        }

        @Override
        public void setUp() {
            pool = BufferPool.builder().name("report-pool-" + level).leakDetection(level).build();
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int i = 0; i < ops; i++) {
                try (PooledBuffer b = pool.acquire(SIZE)) {
                    sum += b.refCount();
                }
            }
            return sum;
        }

        @Override
        public long directBytesHeld() {
            return pool.stats().bytesReserved();
        }

        @Override
        public void tearDown() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** Netty 4.2: directBuffer + release on a fresh allocator. */
    static final class Netty extends Variant {
        private final boolean pooled;
        private ByteBufAllocator allocator;

        Netty(String name, boolean pooled) {
            super(name, Role.PEER);
            this.pooled = pooled;
        }

        @Override
        public void setUp() {
            allocator = pooled ? new PooledByteBufAllocator(true) : new AdaptiveByteBufAllocator(true);
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int i = 0; i < ops; i++) {
                ByteBuf b = allocator.directBuffer(SIZE);
                sum += b.refCnt();
                b.release();
            }
            return sum;
        }

        @Override
        public long directBytesHeld() {
            return ((ByteBufAllocatorMetricProvider) allocator).metric().usedDirectMemory();
        }
    }
}
