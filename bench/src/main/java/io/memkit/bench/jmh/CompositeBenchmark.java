package io.memkit.bench.jmh;

import io.memkit.buffers.CompositeSlice;
import io.memkit.buffers.Slice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Assembling a response from a 64-byte heap header, a direct body and a 16-byte heap trailer, and
 * writing it to a channel: (a) copy the three into one new buffer and write it, (b) memkit
 * {@code CompositeSlice} written with gathering writes, (c) Netty {@code CompositeByteBuf} written
 * with {@code getBytes(index, GatheringByteChannel, length)}, (d) the JDK's own way: a new
 * {@code ByteBuffer[]} of three new buffers over the parts, written with gathering writes, which
 * is what (b) must not cost more than. Channels: {@code discard}, a
 * gathering channel that consumes buffers without copying them, which isolates the assembly cost;
 * and {@code devnull}, a real {@code FileChannel} on {@code /dev/null} (a {@code writev} per write;
 * the JDK copies heap buffers into a temporary direct buffer first).
 *
 * <p>Run: {@code java -jar bench/target/memkit-bench.jar jmh CompositeBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class CompositeBenchmark {

    private static final int HEADER = 64;
    private static final int TRAILER = 16;

    /** Bytes in the body. */
    @Param({"1024", "65536"})
    public int bodySize;

    /** Where the response goes: {@code discard} or {@code devnull}. */
    @Param({"discard", "devnull"})
    public String channel;

    private byte[] header;
    private ByteBuffer body;
    private byte[] trailer;
    private int total;

    private Slice headerSlice;
    private Slice bodySlice;
    private Slice trailerSlice;

    private ByteBuf headerNetty;
    private ByteBuf bodyNetty;
    private ByteBuf trailerNetty;

    private GatheringByteChannel out;

    /** Builds the three parts once, in each contender's form, over the same bytes. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        header = new byte[HEADER];
        trailer = new byte[TRAILER];
        byte[] bodyBytes = new byte[bodySize];
        random.nextBytes(header);
        random.nextBytes(trailer);
        random.nextBytes(bodyBytes);
        body = ByteBuffer.allocateDirect(bodySize).put(bodyBytes).flip();
        total = HEADER + bodySize + TRAILER;

        headerSlice = Slice.wrap(header);
        bodySlice = Slice.wrap(body);
        trailerSlice = Slice.wrap(trailer);

        headerNetty = Unpooled.wrappedBuffer(header);
        bodyNetty = Unpooled.wrappedBuffer(body.duplicate());
        trailerNetty = Unpooled.wrappedBuffer(trailer);

        out = "devnull".equals(channel)
                ? FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE)
                : new DiscardChannel();
    }

    /** Closes the channel. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        out.close();
    }

    /** (a) The naive way: one new buffer holding a copy of all three parts. */
    @Benchmark
    public long copy() throws IOException {
        ByteBuffer all = ByteBuffer.allocate(total);
        all.put(header);
        all.put(HEADER, body, 0, bodySize);
        all.position(HEADER + bodySize);
        all.put(trailer);
        all.flip();
        long written = 0;
        while (all.hasRemaining()) {
            written += out.write(all);
        }
        return written;
    }

    /** (b) memkit: a CompositeSlice of the three views, written with gathering writes. */
    @Benchmark
    public long memkit() throws IOException {
        return CompositeSlice.of(headerSlice, bodySlice, trailerSlice).writeTo(out);
    }

    /** (d) JDK: a new array of three new buffers over the parts, written with gathering writes. */
    @Benchmark
    public long byteBuffers() throws IOException {
        ByteBuffer[] parts = {ByteBuffer.wrap(header), body.duplicate(), ByteBuffer.wrap(trailer)};
        long written = out.write(parts);
        while (written < total) {
            written += out.write(parts);
        }
        return written;
    }

    /** (c) Netty: a CompositeByteBuf of the three buffers, written with gathering writes. */
    @Benchmark
    public long netty() throws IOException {
        CompositeByteBuf c = Unpooled.compositeBuffer(3);
        c.addComponents(true, headerNetty.retain(), bodyNetty.retain(), trailerNetty.retain());
        long written = 0;
        while (written < total) {
            written += c.getBytes((int) written, out, total - (int) written);
        }
        c.release();
        return written;
    }

    /** A gathering channel that takes every byte offered without copying it. */
    static final class DiscardChannel implements GatheringByteChannel {
        long bytes;

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long n = 0;
            for (int k = offset; k < offset + length; k++) {
                ByteBuffer b = srcs[k];
                n += b.remaining();
                b.position(b.limit());
            }
            bytes += n;
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            bytes += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
