package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.Variant;
import io.memkit.bench.report.VariantScenario;
import io.memkit.buffers.CompositeSlice;
import io.memkit.buffers.Slice;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Composite response writing: a header, a body and a trailer that already exist as byte arrays
 * are written to a channel as one response, either concatenated into a new array or gathered.
 */
public final class CompositeScenario extends VariantScenario {
    /** Header bytes (as in the JMH {@code CompositeBenchmark}). */
    public static final int HEADER = 64;
    /** Trailer bytes (as in the JMH {@code CompositeBenchmark}). */
    public static final int TRAILER = 16;

    private final int body;

    /**
     * Creates the scenario for one body size.
     *
     * @param body body bytes; the JMH {@code CompositeBenchmark} runs 1,024 and 65,536
     */
    public CompositeScenario(int body) {
        this.body = body;
    }

    @Override
    public String id() {
        return body == 1024 ? "composite" : "composite-" + (body / 1024) + "k";
    }

    @Override
    public String title() {
        return "Composite response writing, " + (body < 1024 ? body + " B" : body / 1024 + " KiB") + " body";
    }

    @Override
    public String description() {
        return "Write a response made of a " + HEADER + " B header, a " + String.format("%,d", body) + " B body and a " + TRAILER
                + " B trailer (all existing byte arrays) to a gathering channel that discards the bytes: concatenate into one "
                + "new array vs gather the parts: memkit CompositeSlice, a ByteBuffer[] gathering write, Netty CompositeByteBuf. "
                + "One op is one response.";
    }

    @Override
    public String unit() {
        return "response";
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Override
    protected List<Variant> variants(ScenarioContext context) {
        byte[] header = bytes(HEADER, 1);
        byte[] body = bytes(this.body, 2);
        byte[] trailer = bytes(TRAILER, 3);
        return List.of(new Concatenate(header, body, trailer), new MemkitComposite(header, body, trailer),
                new JdkGathering(header, body, trailer),
                new NettyComposite(header, body, trailer));
    }

    /** Naive: one new array holding all three parts, written at once. */
    static final class Concatenate extends Variant {
        private final byte[] header;
        private final byte[] body;
        private final byte[] trailer;
        private final DiscardChannel channel = new DiscardChannel();

        Concatenate(byte[] header, byte[] body, byte[] trailer) {
            super("concatenate into byte[]", Role.NAIVE);
            this.header = header;
            this.body = body;
            this.trailer = trailer;
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int op = 0; op < ops; op++) {
                byte[] all = new byte[header.length + body.length + trailer.length];
                System.arraycopy(header, 0, all, 0, header.length);
                System.arraycopy(body, 0, all, header.length, body.length);
                System.arraycopy(trailer, 0, all, header.length + body.length, trailer.length);
                sum += channel.write(ByteBuffer.wrap(all));
            }
            return sum + channel.checksum;
        }
    }

    /** memkit: a CompositeSlice of three Slice views, written with gathering writes. */
    static final class MemkitComposite extends Variant {
        private final byte[] header;
        private final byte[] body;
        private final byte[] trailer;
        private final DiscardChannel channel = new DiscardChannel();

        MemkitComposite(byte[] header, byte[] body, byte[] trailer) {
            super("memkit CompositeSlice", Role.MEMKIT);
            this.header = header;
            this.body = body;
            this.trailer = trailer;
        }

        @Override
        public long batch(int ops) throws java.io.IOException {
            long sum = 0;
            for (int op = 0; op < ops; op++) {
                CompositeSlice response = CompositeSlice.of(Slice.wrap(header), Slice.wrap(body), Slice.wrap(trailer));
                sum += response.writeTo(channel);
            }
            return sum + channel.checksum;
        }
    }

    /** JDK: wrap each part and make one gathering write of the three buffers. */
    static final class JdkGathering extends Variant {
        private final byte[] header;
        private final byte[] body;
        private final byte[] trailer;
        private final DiscardChannel channel = new DiscardChannel();

        JdkGathering(byte[] header, byte[] body, byte[] trailer) {
            super("ByteBuffer[] gathering write", Role.PEER);
            this.header = header;
            this.body = body;
            this.trailer = trailer;
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int op = 0; op < ops; op++) {
                ByteBuffer[] parts = {ByteBuffer.wrap(header), ByteBuffer.wrap(body), ByteBuffer.wrap(trailer)};
                sum += channel.write(parts);
            }
            return sum + channel.checksum;
        }
    }

    /** Netty 4.2: a CompositeByteBuf of three wrapped parts, read out to the channel, then released. */
    static final class NettyComposite extends Variant {
        private final byte[] header;
        private final byte[] body;
        private final byte[] trailer;
        private final DiscardChannel channel = new DiscardChannel();

        NettyComposite(byte[] header, byte[] body, byte[] trailer) {
            super("Netty CompositeByteBuf", Role.PEER);
            this.header = header;
            this.body = body;
            this.trailer = trailer;
        }

        @Override
        public long batch(int ops) throws java.io.IOException {
            long sum = 0;
            for (int op = 0; op < ops; op++) {
                CompositeByteBuf response = Unpooled.compositeBuffer(3);
                response.addComponents(true, Unpooled.wrappedBuffer(header), Unpooled.wrappedBuffer(body),
                        Unpooled.wrappedBuffer(trailer));
                while (response.isReadable()) {
                    sum += response.readBytes(channel, response.readableBytes());
                }
                response.release();
            }
            return sum + channel.checksum;
        }
    }
}
