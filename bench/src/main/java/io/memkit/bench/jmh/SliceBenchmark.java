package io.memkit.bench.jmh;

import io.memkit.buffers.Slice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing 1,000 length-prefixed records (lengths 8..512, fixed seed; {@link SliceRecords}) and
 * handing each field on to a {@link Blackhole}: (a) copy each field into a {@code byte[]},
 * (b) {@code ByteBuffer.slice}, (c) memkit {@code Slice}, (d) Netty {@code ByteBuf.slice},
 * (e) a new Agrona {@code UnsafeBuffer} wrapping each field. One op = one pass over the 1,000
 * records. {@code parseMemkitStatsOff} is (c) in a JVM started with
 * {@code -Dio.memkit.slice.stats=false}: the cost of {@code Slice.stats()} counting is the
 * difference between the two.
 *
 * <p>{@link SliceGetIntBenchmark} compares single reads.
 *
 * <p>Run: {@code java -jar bench/target/memkit-bench.jar jmh SliceBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "-Dio.netty.leakDetection.level=disabled"})
public class SliceBenchmark {

    /** Where the records live. */
    @Param({"heap", "direct"})
    public String memory;

    private ByteBuffer records;
    private Slice recordsSlice;
    private ByteBuf recordsNetty;
    private UnsafeBuffer recordsAgrona;
    private int limit;

    /** Builds the same records for every contender. */
    @Setup(Level.Trial)
    public void setUp() {
        records = SliceRecords.build("direct".equals(memory));
        limit = records.limit();
        recordsSlice = Slice.wrap(records);
        recordsNetty = Unpooled.wrappedBuffer(records.duplicate());
        recordsAgrona = new UnsafeBuffer(records);
    }

    /** (a) The naive way: each field copied into its own array. */
    @Benchmark
    public void parseCopy(Blackhole bh) {
        ByteBuffer b = records;
        for (int at = 0; at < limit; ) {
            int length = b.getInt(at);
            byte[] field = new byte[length];
            b.get(at + 4, field);
            bh.consume(field);
            at += 4 + length;
        }
    }

    /** (b) {@code ByteBuffer.slice(index, length)}: a view, no copy. */
    @Benchmark
    public void parseByteBuffer(Blackhole bh) {
        ByteBuffer b = records;
        for (int at = 0; at < limit; ) {
            int length = b.getInt(at);
            bh.consume(b.slice(at + 4, length));
            at += 4 + length;
        }
    }

    /** (c) memkit: {@code Slice.slice(index, length)}, a 24-byte checked view. */
    @Benchmark
    public void parseMemkit(Blackhole bh) {
        Slice s = recordsSlice;
        for (int at = 0; at < limit; ) {
            int length = s.getInt(at);
            bh.consume(s.slice(at + 4, length));
            at += 4 + length;
        }
    }

    /** (c) with {@code Slice.stats()} counting switched off, for the cost of counting. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Dio.netty.leakDetection.level=disabled", "-Dio.memkit.slice.stats=false"})
    public void parseMemkitStatsOff(Blackhole bh) {
        parseMemkit(bh);
    }

    /** (d) Netty: {@code ByteBuf.slice(index, length)}. */
    @Benchmark
    public void parseNetty(Blackhole bh) {
        ByteBuf b = recordsNetty;
        for (int at = 0; at < limit; ) {
            int length = b.getInt(at);
            bh.consume(b.slice(at + 4, length));
            at += 4 + length;
        }
    }

    /** (e) Agrona: a new {@code UnsafeBuffer} wrapping each field. */
    @Benchmark
    public void parseAgrona(Blackhole bh) {
        UnsafeBuffer b = recordsAgrona;
        for (int at = 0; at < limit; ) {
            int length = b.getInt(at, ByteOrder.BIG_ENDIAN);
            bh.consume(new UnsafeBuffer(b, at + 4, length));
            at += 4 + length;
        }
    }
}
