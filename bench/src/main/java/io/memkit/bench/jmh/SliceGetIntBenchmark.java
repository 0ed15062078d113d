package io.memkit.bench.jmh;

import io.memkit.buffers.Slice;
import io.memkit.buffers.internal.SliceAccess;
import io.memkit.buffers.internal.SliceOwner;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Slice.getInt} against {@code ByteBuffer.getInt(int)} on the same 4 KiB window of direct
 * memory: one read per op at a moving index, and a loop of 1,024 reads (ns per read). The Slice
 * pays a window check and a lifetime check on top of the buffer's own access. {@code *Leased*}
 * reads a Slice whose owner can be released, as a pool lease's can: its re-check after each load
 * sits behind a LoadLoad fence, which stops the JIT from hoisting loads out of the loop.
 *
 * <p>Run: {@code java -jar bench/target/memkit-bench.jar jmh SliceGetIntBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SliceGetIntBenchmark {

    private ByteBuffer ints;
    private Slice intsSlice;
    private Slice intsLeased;
    private int index;

    /** An owner that could be released, as a pool's lease is: reads then fence their re-check. */
    static final class Lease extends SliceOwner {
        Lease(ByteBuffer memory) {
            super(memory);
        }
    }

    /** A 4 KiB window at offset 32 of a direct buffer, as a ByteBuffer and as a Slice. */
    @Setup(Level.Trial)
    public void setUp() {
        ByteBuffer whole = ByteBuffer.allocateDirect(4096 + 64);
        for (int i = 0; i < whole.capacity(); i += 4) {
            whole.putInt(i, i * 31);
        }
        ints = whole.slice(32, 4096);
        intsSlice = Slice.wrap(ints);
        intsLeased = SliceAccess.slice(new Lease(whole), 32, 4096);
    }

    /** One {@code Slice.getInt} at a moving index. */
    @Benchmark
    public int getIntSlice() {
        int i = index = (index + 4) & 4092;
        return intsSlice.getInt(i);
    }

    /** One {@code Slice.getInt} at a moving index, over a lease (releasable owner). */
    @Benchmark
    public int getIntLeasedSlice() {
        int i = index = (index + 4) & 4092;
        return intsLeased.getInt(i);
    }

    /** One {@code ByteBuffer.getInt(int)} at the same moving index. */
    @Benchmark
    public int getIntByteBuffer() {
        int i = index = (index + 4) & 4092;
        return ints.getInt(i);
    }

    /** {@code Slice.getInt} over the window: 1,024 reads per invocation, reported per read. */
    @Benchmark
    @OperationsPerInvocation(1024)
    public int getIntLoopSlice() {
        Slice s = intsSlice;
        int sum = 0;
        for (int i = 0; i < 4096; i += 4) {
            sum += s.getInt(i);
        }
        return sum;
    }

    /** {@code Slice.getInt} over the window of a lease: 1,024 reads per invocation, reported per read. */
    @Benchmark
    @OperationsPerInvocation(1024)
    public int getIntLoopLeasedSlice() {
        Slice s = intsLeased;
        int sum = 0;
        for (int i = 0; i < 4096; i += 4) {
            sum += s.getInt(i);
        }
        return sum;
    }

    /** {@code ByteBuffer.getInt(int)} over the window: 1,024 reads per invocation, reported per read. */
    @Benchmark
    @OperationsPerInvocation(1024)
    public int getIntLoopByteBuffer() {
        ByteBuffer b = ints;
        int sum = 0;
        for (int i = 0; i < 4096; i += 4) {
            sum += b.getInt(i);
        }
        return sum;
    }
}
