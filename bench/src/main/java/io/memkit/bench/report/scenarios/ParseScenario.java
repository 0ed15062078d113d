package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.Sink;
import io.memkit.bench.report.Variant;
import io.memkit.bench.report.VariantResult;
import io.memkit.bench.report.VariantScenario;
import io.memkit.buffers.Slice;
import io.memkit.meter.AllocationReport;
import io.memkit.meter.AllocationSites;
import io.memkit.meter.MemoryMeter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Zero-copy record parsing: a buffer of 1,000 length-prefixed records ({@code [length:int][bytes]},
 * lengths 8 to 512) is parsed and each field handed on, either as a copy or as a view.
 * The same data and the same handler (read a byte, keep the field) for every variant. The notes give
 * the top allocation sites of the naive and the memkit variant, from {@link AllocationSites}.
 */
public final class ParseScenario extends VariantScenario {
    /** Records per buffer: one operation parses them all (as the JMH {@code SliceBenchmark} does). */
    public static final int RECORDS = 1_000;

    @Override
    public String id() {
        return "parse";
    }

    @Override
    public String title() {
        return "Zero-copy record parsing";
    }

    @Override
    public String description() {
        return "Parse a heap buffer of " + RECORDS + " length-prefixed records (fields of 8 to 512 random bytes) and hand "
                + "each field on to a handler that reads it and keeps it. Copying every field into a byte[] vs handing on "
                + "a view: memkit Slice, ByteBuffer.slice, Netty ByteBuf.slice, an Agrona UnsafeBuffer per field. "
                + "One op is the whole buffer.";
    }

    @Override
    public String unit() {
        return "buffer of 1,000 records";
    }

    /** The seed of the record lengths and bytes: the same as the JMH {@code SliceBenchmark}'s. */
    public static final long SEED = 0x5EED_2026L;

    /**
     * The records: {@code [length:int big-endian][length bytes]} repeated, lengths 8 to 512 and
     * bytes drawn from {@code seed} in the same order as the JMH {@code SliceBenchmark} draws them,
     * so that both parse the same bytes and their bytes/op can be compared.
     *
     * @param records how many records
     * @param seed    the random seed
     * @return the encoded buffer
     */
    public static byte[] records(int records, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] lengths = new int[records];
        int total = 0;
        for (int i = 0; i < records; i++) {
            lengths[i] = random.nextInt(8, 513);
            total += 4 + lengths[i];
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        for (int i = 0; i < records; i++) {
            out.putInt(lengths[i]);
            for (int j = 0; j < lengths[i]; j++) {
                out.put((byte) random.nextInt());
            }
        }
        return out.array();
    }

    /** Sites shown per variant in the notes, and frames per site: the allocating line and its caller. */
    private static final int SITES = 3;
    private static final int DEPTH = 2;
    /** Set by {@link #variants}: the notes allocate less for the sampler in the quick report. */
    private ScenarioContext context;

    @Override
    protected List<Variant> variants(ScenarioContext context) {
        this.context = context;
        byte[] data = records(RECORDS, SEED);
        return List.of(new CopyFields(data), new SliceViews(data), new ByteBufferSlices(data), new NettySlices(data),
                new AgronaViews(data));
    }

    /**
     * The top allocation sites of the naive variant next to memkit's, from JFR allocation samples:
     * which line allocates, as tracemalloc would show it. Only after a run (the catalogue test calls
     * this with no results and gets nothing).
     */
    @Override
    protected String notes(List<VariantResult> results) {
        if (results.isEmpty() || context == null) {
            return "";
        }
        if (!AllocationSites.isSupported()) {
            return "Allocation sites: not shown, JFR is not available in this runtime.\n";
        }
        // JFR samples about once per TLAB refill: enough bytes for a few dozen samples per variant.
        long bytes = context.settings().quick() ? 48L << 20 : 256L << 20;
        byte[] data = records(RECORDS, SEED);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "Top allocation sites (AllocationSites.record: "
                + "JFR allocation samples, about %d MB allocated per variant, %d frames per site; estimated bytes, "
                + "beside the exact total):%n", bytes >> 20, DEPTH));
        for (Variant v : List.of(new CopyFields(data), new SliceViews(data))) {
            context.progress("allocation sites of " + v.name());
            try {
                out.append(v.name()).append(": ").append(sites(v, bytes));
            } catch (Exception | LinkageError e) {
                out.append(v.name()).append(": allocation sites FAILED: ").append(ScenarioContext.describe(e)).append('\n');
            }
        }
        return out.toString();
    }

    private static String sites(Variant v, long bytes) throws Exception {
        v.setUp();
        try {
            v.batch(200); // compiled before it is sampled, as in the measured rows
            long[] perOp = new long[1];
            Exception[] failed = new Exception[1];
            perOp[0] = MemoryMeter.measure(() -> call(v, 10, failed)).allocatedBytes() / 10;
            int ops = (int) Math.max(1, Math.min(1_000_000, bytes / Math.max(1, perOp[0])));
            AllocationReport report = AllocationSites.record(() -> call(v, ops, failed), DEPTH);
            if (failed[0] != null) {
                throw failed[0];
            }
            return String.format(Locale.ROOT, "%,d ops, ", ops) + report.format(SITES);
        } finally {
            v.tearDown();
        }
    }

    private static void call(Variant v, int ops, Exception[] failed) {
        try {
            Sink.publish(v.batch(ops));
        } catch (Exception e) {
            failed[0] = e;
        }
    }

    /** Naive: {@code Arrays.copyOfRange} per field. */
    static final class CopyFields extends Variant {
        private final byte[] data;
        private final ByteBuffer lengths;

        CopyFields(byte[] data) {
            super("copy each field (byte[])", Role.NAIVE);
            this.data = data;
            this.lengths = ByteBuffer.wrap(data);
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int op = 0; op < ops; op++) {
                for (int at = 0; at < data.length; ) {
                    int len = lengths.getInt(at);
                    byte[] field = Arrays.copyOfRange(data, at + 4, at + 4 + len);
                    sum += field[0] + field.length;
                    Sink.keep(field);
                    at += 4 + len;
                }
            }
            return sum;
        }
    }

    /** memkit: a {@code Slice} view per field. */
    static final class SliceViews extends Variant {
        private final Slice all;

        SliceViews(byte[] data) {
            super("memkit Slice", Role.MEMKIT);
            this.all = Slice.wrap(data);
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            int limit = all.length();
            for (int op = 0; op < ops; op++) {
                for (int at = 0; at < limit; ) {
                    int len = all.getInt(at);
                    Slice field = all.slice(at + 4, len);
                    sum += field.getByte(0) + field.length();
                    Sink.keep(field);
                    at += 4 + len;
                }
            }
            return sum;
        }
    }

    /** JDK 13+: {@code ByteBuffer.slice(index, length)} per field. */
    static final class ByteBufferSlices extends Variant {
        private final ByteBuffer all;

        ByteBufferSlices(byte[] data) {
            super("ByteBuffer.slice", Role.PEER);
            this.all = ByteBuffer.wrap(data);
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            int limit = all.limit();
            for (int op = 0; op < ops; op++) {
                for (int at = 0; at < limit; ) {
                    int len = all.getInt(at);
                    ByteBuffer field = all.slice(at + 4, len);
                    sum += field.get(0) + field.remaining();
                    Sink.keep(field);
                    at += 4 + len;
                }
            }
            return sum;
        }
    }

    /** Netty 4.2: {@code ByteBuf.slice(index, length)} per field over a wrapped heap buffer. */
    static final class NettySlices extends Variant {
        private final ByteBuf all;

        NettySlices(byte[] data) {
            super("Netty ByteBuf.slice", Role.PEER);
            this.all = Unpooled.wrappedBuffer(data);
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            int limit = all.writerIndex();
            for (int op = 0; op < ops; op++) {
                for (int at = 0; at < limit; ) {
                    int len = all.getInt(at);
                    ByteBuf field = all.slice(at + 4, len);
                    sum += field.getByte(0) + field.readableBytes();
                    Sink.keep(field);
                    at += 4 + len;
                }
            }
            return sum;
        }
    }

    /** Agrona 2.x: a new {@code UnsafeBuffer} view per field (a flyweight reused in place could not be kept). */
    static final class AgronaViews extends Variant {
        private final byte[] data;
        private UnsafeBuffer all;

        AgronaViews(byte[] data) {
            super("Agrona UnsafeBuffer per field", Role.PEER);
            this.data = data;
        }

        @Override
        public void setUp() {
            all = new UnsafeBuffer(data);
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            int limit = all.capacity();
            for (int op = 0; op < ops; op++) {
                for (int at = 0; at < limit; ) {
                    int len = all.getInt(at, java.nio.ByteOrder.BIG_ENDIAN);
                    UnsafeBuffer field = new UnsafeBuffer(data, at + 4, len);
                    sum += field.getByte(0) + field.capacity();
                    Sink.keep(field);
                    at += 4 + len;
                }
            }
            return sum;
        }
    }
}
