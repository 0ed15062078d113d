package io.memkit.bench.jmh;

import io.memkit.buffers.internal.SliceCounters;
import io.memkit.buffers.internal.SliceOwner;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What counting one view costs (two counters: views and bytes): memkit's plain adds on the
 * stripe of the thread that made the view's owner ({@code SliceCounters.view}) against a pair of
 * {@link LongAdder}s, the usual striped counter, on one thread and on two. The two-thread
 * variants count views of one owner made by one thread, so both threads share its stripe: the
 * worst case of counting by owner.
 *
 * <p>Run: {@code java -jar bench/target/memkit-bench.jar jmh SliceCountersBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SliceCountersBenchmark {

    private final SliceOwner owner = new Owner(ByteBuffer.allocate(64));
    private final LongAdder views = new LongAdder();

    /** An owner of wrapped memory, made by the thread that sets the benchmark up. */
    static final class Owner extends SliceOwner {
        Owner(ByteBuffer memory) {
            super(memory, false);
        }
    }
    private final LongAdder bytes = new LongAdder();

    /** memkit: the owner's stripe, two plain adds (no lock prefix). */
    @Benchmark
    public void striped() {
        SliceCounters.view(owner, 100);
    }

    /** Two LongAdder adds: a locked CAS each while uncontended. */
    @Benchmark
    public void longAdder() {
        views.add(1);
        bytes.add(100);
    }

    /** {@link #striped()} on two threads. */
    @Benchmark
    @Threads(2)
    public void stripedTwoThreads() {
        SliceCounters.view(owner, 100);
    }

    /** {@link #longAdder()} on two threads. */
    @Benchmark
    @Threads(2)
    public void longAdderTwoThreads() {
        views.add(1);
        bytes.add(100);
    }
}
