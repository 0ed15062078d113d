package io.memkit.bench.jmh;

import io.memkit.buffers.internal.SliceCounters;
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
 * What counting one view costs (two counters: views and bytes): memkit's relaxed adds on the
 * shared {@code StripedCounters} ({@code SliceCounters.view}) against a pair of
 * {@link LongAdder}s, the usual striped counter, on one thread and on two.
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

    private final LongAdder views = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    /** memkit: the thread's stripe, two relaxed adds (opaque load and store, no lock prefix). */
    @Benchmark
    public void striped() {
        SliceCounters.view(100);
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
        SliceCounters.view(100);
    }

    /** {@link #longAdder()} on two threads. */
    @Benchmark
    @Threads(2)
    public void longAdderTwoThreads() {
        views.add(1);
        bytes.add(100);
    }
}
