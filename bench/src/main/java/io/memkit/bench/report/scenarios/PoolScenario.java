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
                + "(leak detection OFF, and the default SAMPLED) vs Netty 4.2 PooledByteBufAllocator and "
                + "AdaptiveByteBufAllocator directBuffer+release (Netty's default leak detection, SIMPLE). One op is one "
                + "acquire and release, as in the JMH BufferPoolBenchmark with size=4096.";
    }

    @Override
    public String unit() {
        return "acquire+release";
    }

    @Override
    protected List<Variant> variants(ScenarioContext context) {
        // Each level has its own class and loop, OFF first: levels measured one after the other share the
        // pool's compiled code, and with an earlier BufferPool the second sometimes lost the JIT's removal of
        // its lease handle (+40 B/op). Measured stable over 6 runs with the current one.
        return List.of(new AllocateDirect(), new MemkitOff(), new MemkitSampled(), new NettyPooled(), new NettyAdaptive());
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

    /** memkit: acquire+close at a leak detection level (a subclass per level, each with its own loop). */
    abstract static class Memkit extends Variant {
        private final LeakDetection level;
        BufferPool pool;

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

    /** memkit, leak detection OFF. */
    static final class MemkitOff extends Memkit {
        MemkitOff() {
            super(LeakDetection.OFF);
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
    }

    /** memkit, leak detection SAMPLED (the default). */
    static final class MemkitSampled extends Memkit {
        MemkitSampled() {
            super(LeakDetection.SAMPLED);
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
    }

    /** Netty 4.2: directBuffer + release on a fresh allocator; one subclass per allocator, as for {@link Memkit}. */
    abstract static class Netty extends Variant {
        ByteBufAllocator allocator;

        Netty(String name) {
            super(name, Role.PEER);
        }

        @Override
        public long directBytesHeld() {
            return ((ByteBufAllocatorMetricProvider) allocator).metric().usedDirectMemory();
        }
    }

    /** Netty's PooledByteBufAllocator. */
    static final class NettyPooled extends Netty {
        NettyPooled() {
            super("Netty PooledByteBufAllocator");
        }

        @Override
        public void setUp() {
            allocator = new PooledByteBufAllocator(true);
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
    }

    /** Netty's AdaptiveByteBufAllocator. */
    static final class NettyAdaptive extends Netty {
        NettyAdaptive() {
            super("Netty AdaptiveByteBufAllocator");
        }

        @Override
        public void setUp() {
            allocator = new AdaptiveByteBufAllocator(true);
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
    }
}
