package io.memkit.bench.jmh;

import io.memkit.netty.MemkitByteBufAllocator;
import io.memkit.pools.BufferPool;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
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
 * {@code directBuffer(size)}, a write, a read and {@code release()} through a Netty
 * {@code ByteBufAllocator}: memkit's {@link MemkitByteBufAllocator} (over a pool of its own, leak
 * detection SAMPLED as by default) vs Netty 4.2's {@code PooledByteBufAllocator.DEFAULT},
 * {@code AdaptiveByteBufAllocator} and {@code UnpooledByteBufAllocator}. {@code oneThread}: one
 * thread allocates and releases. {@code crossThread} (a JMH group of 2): one thread allocates and
 * writes, passes the buffer through a JCTools MPMC queue of 1,024, the other reads and releases;
 * its throughput counts each side, so a buffer passed counts twice.
 *
 * <p>Netty's leak detection is off for all (memkit's buffers go through it too), and Netty's
 * thread-local caches serve every thread ({@code useCacheForAllThreads}): its best case, as on its
 * event loop threads.
 *
 * <p>Run: {@code java -jar bench/target/memkit-bench.jar jmh NettyAllocatorBenchmark -f 3 -prof gc}
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled",
        "-Dio.netty.allocator.useCacheForAllThreads=true"})
public class NettyAllocatorBenchmark {

    /** Bytes per buffer. */
    @Param({"256", "4096", "65536"})
    public int size;

    /** Which allocator. */
    @Param({"memkit", "nettyPooled", "nettyAdaptive", "nettyUnpooled"})
    public String allocator;

    private ByteBufAllocator alloc;
    private BufferPool pool;
    private MpmcVarHandleArrayQueue<ByteBuf> queue;
    private long value;

    /** The allocator and, for the cross-thread group, the queue. */
    @Setup(Level.Trial)
    public void setUp() {
        queue = new MpmcVarHandleArrayQueue<>(1024);
        switch (allocator) {
            case "memkit":
                pool = BufferPool.builder().name("jmh-netty").build();
                alloc = new MemkitByteBufAllocator(pool);
                break;
            case "nettyPooled":
                alloc = PooledByteBufAllocator.DEFAULT;
                break;
            case "nettyAdaptive":
                alloc = new AdaptiveByteBufAllocator(true);
                break;
            case "nettyUnpooled":
                alloc = new UnpooledByteBufAllocator(true);
                break;
            default:
                throw new IllegalArgumentException("unknown allocator: " + allocator);
        }
    }

    /** Releases what the cross-thread group left in the queue. */
    @TearDown(Level.Iteration)
    public void drain() {
        for (ByteBuf b; (b = queue.poll()) != null; ) {
            b.release();
        }
    }

    /** Closes memkit's pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        drain();
        if (pool != null) {
            pool.close();
        }
    }

    /** Allocate, write a long at each end, read one back, release: all on one thread. */
    @Benchmark
    @Group("oneThread")
    @GroupThreads(1)
    public long oneThread() {
        ByteBuf b = alloc.directBuffer(size);
        long v = value++;
        b.writeLong(v);
        b.setLong(size - 8, v);
        long r = b.getLong(size - 8);
        b.release();
        return r;
    }

    /** Cross-thread: allocate, write, pass. */
    @Benchmark
    @Group("crossThread")
    @GroupThreads(1)
    public void crossThreadAllocate(Control control) {
        ByteBuf b = alloc.directBuffer(size);
        b.writeLong(size);
        b.setLong(size - 8, size);
        for (int spins = 0; !queue.offer(b); spins++) {
            if (control.stopMeasurement) {
                b.release();
                return;
            }
            backOff(spins);
        }
    }

    /** Cross-thread: take, read, release. */
    @Benchmark
    @Group("crossThread")
    @GroupThreads(1)
    public long crossThreadRelease(Control control) {
        ByteBuf b;
        for (int spins = 0; (b = queue.poll()) == null; spins++) {
            if (control.stopMeasurement) {
                return 0;
            }
            backOff(spins);
        }
        long r = b.getLong(size - 8);
        b.release();
        return r;
    }

    /** Spin briefly, then yield: on a machine with few cores the other side needs the CPU. */
    private static void backOff(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
