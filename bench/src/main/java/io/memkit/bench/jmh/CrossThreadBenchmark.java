package io.memkit.bench.jmh;

import io.memkit.pools.BufferPool;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.PooledBuffer;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.infra.Control;

/**
 * Buffers acquired on one thread and released on another (2 threads, JMH groups): the producer
 * acquires a direct buffer and passes it through a bounded queue, the consumer takes it and
 * releases it. memkit {@code BufferPool} (leak detection OFF and SAMPLED) vs Netty 4.2
 * {@code PooledByteBufAllocator.DEFAULT} and {@code AdaptiveByteBufAllocator}, all with the same
 * queue (a JCTools MPMC array queue of 1,024; a side that finds it full or empty spins briefly,
 * then yields). Throughput is the group's, counted per side: the figure per group is twice the
 * buffers passed. memkit's handles escape here (they cross the queue): one 40-byte object per
 * buffer.
 *
 * <p>Run: {@code java -jar bench/target/memkit-bench.jar jmh CrossThreadBenchmark -prof gc}
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class CrossThreadBenchmark {

    /** Bytes per buffer. */
    @Param({"4096"})
    public int size;

    private MpmcVarHandleArrayQueue<Object> queue;
    private BufferPool memkitOff;
    private BufferPool memkitSampled;
    private ByteBufAllocator nettyPooled;
    private ByteBufAllocator nettyAdaptive;

    /** One queue and the allocators per group. */
    @Setup(Level.Trial)
    public void setUp() {
        queue = new MpmcVarHandleArrayQueue<>(1024);
        memkitOff = BufferPool.builder().name("cross-off").leakDetection(LeakDetection.OFF).build();
        memkitSampled = BufferPool.builder().name("cross-sampled").build();
        nettyPooled = PooledByteBufAllocator.DEFAULT;
        nettyAdaptive = new AdaptiveByteBufAllocator();
    }

    /** Releases what is left in the queue after each iteration. */
    @TearDown(Level.Iteration)
    public void drain() {
        for (Object o; (o = queue.poll()) != null; ) {
            release(o);
        }
    }

    /** Closes memkit's pools. */
    @TearDown(Level.Trial)
    public void tearDown() {
        drain();
        memkitOff.close();
        memkitSampled.close();
    }

    private static void release(Object o) {
        if (o instanceof PooledBuffer) {
            ((PooledBuffer) o).close();
        } else {
            ((ByteBuf) o).release();
        }
    }

    private void pass(Object buffer, Control control) {
        for (int spins = 0; !queue.offer(buffer); spins++) {
            if (control.stopMeasurement) {
                release(buffer);
                return;
            }
            backOff(spins);
        }
    }

    private Object take(Control control) {
        Object o;
        for (int spins = 0; (o = queue.poll()) == null; spins++) {
            if (control.stopMeasurement) {
                return null;
            }
            backOff(spins);
        }
        return o;
    }

    /** Spin briefly, then yield: on a machine with few cores the other side needs the CPU. */
    private static void backOff(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** memkit OFF: acquire. */
    @Benchmark
    @Group("memkitOff")
    @GroupThreads(1)
    public void memkitOffAcquire(Control control) {
        pass(memkitOff.acquire(size), control);
    }

    /** memkit OFF: release. */
    @Benchmark
    @Group("memkitOff")
    @GroupThreads(1)
    public void memkitOffRelease(Control control) {
        Object o = take(control);
        if (o != null) {
            ((PooledBuffer) o).close();
        }
    }

    /** memkit SAMPLED: acquire. */
    @Benchmark
    @Group("memkitSampled")
    @GroupThreads(1)
    public void memkitSampledAcquire(Control control) {
        pass(memkitSampled.acquire(size), control);
    }

    /** memkit SAMPLED: release. */
    @Benchmark
    @Group("memkitSampled")
    @GroupThreads(1)
    public void memkitSampledRelease(Control control) {
        Object o = take(control);
        if (o != null) {
            ((PooledBuffer) o).close();
        }
    }

    /** Netty pooled: allocate. */
    @Benchmark
    @Group("nettyPooled")
    @GroupThreads(1)
    public void nettyPooledAcquire(Control control) {
        pass(nettyPooled.directBuffer(size), control);
    }

    /** Netty pooled: release. */
    @Benchmark
    @Group("nettyPooled")
    @GroupThreads(1)
    public void nettyPooledRelease(Control control) {
        Object o = take(control);
        if (o != null) {
            ((ByteBuf) o).release();
        }
    }

    /** Netty adaptive: allocate. */
    @Benchmark
    @Group("nettyAdaptive")
    @GroupThreads(1)
    public void nettyAdaptiveAcquire(Control control) {
        pass(nettyAdaptive.directBuffer(size), control);
    }

    /** Netty adaptive: release. */
    @Benchmark
    @Group("nettyAdaptive")
    @GroupThreads(1)
    public void nettyAdaptiveRelease(Control control) {
        Object o = take(control);
        if (o != null) {
            ((ByteBuf) o).release();
        }
    }
}
