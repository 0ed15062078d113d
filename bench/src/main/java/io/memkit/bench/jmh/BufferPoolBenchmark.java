package io.memkit.bench.jmh;

import io.memkit.pools.BufferPool;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.PooledBuffer;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Acquire + close of one direct buffer on one thread, for 256 B, 4 KiB and 64 KiB:
 * memkit {@code BufferPool} with leak detection OFF and SAMPLED (the default), Netty 4.2
 * {@code PooledByteBufAllocator.DEFAULT} ({@code directBuffer} + {@code release}), Netty 4.2
 * {@code AdaptiveByteBufAllocator} (defaults), {@code ByteBuffer.allocateDirect} left to the
 * collector, and {@code Arena.ofConfined()} + {@code allocate} + {@code close} (JDK 22+, reached
 * reflectively; it throws on older JDKs, so exclude it there with {@code -e arena}).
 *
 * <p>Netty runs with leak detection disabled (its fastest setting). Each contender reads its
 * buffer's reference count (or passes the buffer) to a {@link Blackhole}; memkit's handle itself
 * is not passed, so that escape analysis can remove it as it would in a try-with-resources.
 * {@code -prof gc} shows {@code gc.alloc.rate.norm}: memkit's OFF is 0 B/op; SAMPLED adds the
 * amortized cost of the one lease in 128 that is tracked (untracked leases allocate nothing).
 *
 * <p>Run: {@code java -jar bench/target/memkit-bench.jar jmh BufferPoolBenchmark -prof gc}
 * (on JDK 17 add {@code -e arena}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class BufferPoolBenchmark {

    private static final MethodHandle ARENA_OF_CONFINED;
    private static final MethodHandle ARENA_ALLOCATE;
    private static final MethodHandle ARENA_CLOSE;

    static {
        MethodHandle of = null;
        MethodHandle allocate = null;
        MethodHandle close = null;
        try {
            Class<?> arena = Class.forName("java.lang.foreign.Arena");
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            of = lookup.findStatic(arena, "ofConfined", MethodType.methodType(arena))
                    .asType(MethodType.methodType(Object.class));
            allocate = lookup.findVirtual(arena, "allocate", MethodType.methodType(segment, long.class))
                    .asType(MethodType.methodType(Object.class, Object.class, long.class));
            close = lookup.findVirtual(arena, "close", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // JDK 17-21: no final FFM API; the arena benchmark throws.
        }
        ARENA_OF_CONFINED = of;
        ARENA_ALLOCATE = allocate;
        ARENA_CLOSE = close;
    }

    /** Bytes per buffer. */
    @Param({"256", "4096", "65536"})
    public int size;

    private BufferPool memkitOff;
    private BufferPool memkitSampled;
    private ByteBufAllocator nettyPooled;
    private ByteBufAllocator nettyAdaptive;

    /** Makes the pools; each contender warms its own during the warm-up iterations. */
    @Setup(Level.Trial)
    public void setUp() {
        memkitOff = BufferPool.builder().name("bench-off").leakDetection(LeakDetection.OFF).build();
        memkitSampled = BufferPool.builder().name("bench-sampled").leakDetection(LeakDetection.SAMPLED).build();
        nettyPooled = PooledByteBufAllocator.DEFAULT;
        nettyAdaptive = new AdaptiveByteBufAllocator();
    }

    /** Closes memkit's pools. */
    @TearDown(Level.Trial)
    public void tearDown() {
        memkitOff.close();
        memkitSampled.close();
    }

    /** memkit, leak detection OFF. */
    @Benchmark
    public void memkitOff(Blackhole bh) {
        try (PooledBuffer b = memkitOff.acquire(size)) {
            bh.consume(b.refCount());
        }
    }

    /**
     * memkit, leak detection OFF, around a body that makes a call the JIT does not inline, as real
     * code does (I/O, logging): the try block then has an exceptional exit, and the handle must
     * still not be allocated.
     */
    @Benchmark
    public void memkitOffOpaqueBody(Blackhole bh) {
        try (PooledBuffer b = memkitOff.acquire(size)) {
            bh.consume(opaque(b.capacity()));
        }
    }

    /**
     * memkit, leak detection OFF, reading the lease through its raw {@code ByteBuffer} (as code
     * that hands it to a channel does): the view object is the one allocation to expect.
     */
    @Benchmark
    public void memkitOffByteBuffer(Blackhole bh) {
        try (PooledBuffer b = memkitOff.acquire(size)) {
            bh.consume(b.byteBuffer());
        }
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static int opaque(int value) {
        return value + 1;
    }

    /** memkit, leak detection SAMPLED (the default): one lease in 128 tracked. */
    @Benchmark
    public void memkitSampled(Blackhole bh) {
        try (PooledBuffer b = memkitSampled.acquire(size)) {
            bh.consume(b.refCount());
        }
    }

    /** Netty 4.2 PooledByteBufAllocator.DEFAULT. */
    @Benchmark
    public void nettyPooled(Blackhole bh) {
        ByteBuf b = nettyPooled.directBuffer(size);
        bh.consume(b.refCnt());
        b.release();
    }

    /** Netty 4.2 AdaptiveByteBufAllocator. */
    @Benchmark
    public void nettyAdaptive(Blackhole bh) {
        ByteBuf b = nettyAdaptive.directBuffer(size);
        bh.consume(b.refCnt());
        b.release();
    }

    /** A new direct buffer each time, freed by the collector. */
    @Benchmark
    public void allocateDirect(Blackhole bh) {
        bh.consume(ByteBuffer.allocateDirect(size));
    }

    /**
     * A confined arena per buffer, closed at once (frees the memory deterministically).
     *
     * @throws Throwable on JDKs without {@code java.lang.foreign.Arena}
     */
    @Benchmark
    public void arena(Blackhole bh) throws Throwable {
        if (ARENA_OF_CONFINED == null) {
            throw new UnsupportedOperationException("java.lang.foreign.Arena needs JDK 22+; this is "
                    + Runtime.version() + " (exclude with -e arena)");
        }
        Object arena = ARENA_OF_CONFINED.invokeExact();
        bh.consume((Object) ARENA_ALLOCATE.invokeExact(arena, (long) size));
        ARENA_CLOSE.invokeExact(arena);
    }
}
