package io.memkit.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.pools.BufferPool;
import io.memkit.pools.LeakDetection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.util.IllegalReferenceCountException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Sequences of {@code ByteBuf} operations (reads, writes, index moves, growth, derived buffers,
 * release) run on a memkit buffer and on Netty's {@code UnpooledDirectByteBuf}, the reference
 * model: every result, every exception type, the indices, the capacities and the written bytes
 * must agree after each step.
 *
 * <p>Pooled memory is not zeroed, unlike the reference's: the harness zeroes memkit's buffer once
 * at allocation and, after growth, the grown part that the step did not write, so that bytes never
 * written compare equal too.
 */
class ByteBufModelTest {

    /** One step: an operation code and its arguments. */
    record Op(int code, int a, int b, long v) {
        @Override
        public String toString() {
            return NAMES[code] + "(" + a + ", " + b + ", " + v + ")";
        }
    }

    private static final String[] NAMES = {
        "writeByte", "writeShort", "writeMedium", "writeInt", "writeLong", "writeShortLE", "writeMediumLE",
        "writeIntLE", "writeLongLE", "writeBytes(byte[])", "readByte", "readUnsignedShort", "readMedium",
        "readInt", "readLong", "readShortLE", "readUnsignedMediumLE", "readIntLE", "readLongLE",
        "getInt", "getLong", "setInt", "setLongLE", "getBytes(byte[])", "setBytes(byte[])", "readerIndex",
        "writerIndex", "mark/resetReaderIndex", "discardReadBytes", "ensureWritable", "capacity",
        "setZero", "slice", "duplicate", "readRetainedSlice", "order(LE).getInt", "copy", "nioBuffer",
        "setBytes(ByteBuffer)", "getBytes(heap ByteBuf)", "setBytes(direct ByteBuf)", "bytesBefore",
        "writeCharSequence", "getBytes(ByteBuffer)", "retainedDuplicate.readLong", "getUnsignedMediumLE",
        "setMedium", "order(LE).writeLong", "getBytes(Netty direct ByteBuf)", "getBytes(same allocator's ByteBuf)",
        "setBytes(same allocator's ByteBuf)", "readBytes(direct ByteBuf slice)",
    };

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> index = Arbitraries.oneOf(Arbitraries.integers().between(-2, 40),
                Arbitraries.integers().between(-2, 700));
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, NAMES.length - 1), index, index,
                Arbitraries.longs()).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 150)
    void memkitBuffersBehaveAsNettysUnpooledDirectBuffer(@ForAll("ops") List<Op> ops,
            @ForAll @IntRange(min = 0, max = 96) int initial, @ForAll @IntRange(min = 96, max = 600) int max) {
        try (BufferPool pool = BufferPool.builder().name("model").leakDetection(LeakDetection.OFF).build()) {
            MemkitByteBufAllocator alloc = new MemkitByteBufAllocator(pool);
            ByteBuf mine = alloc.directBuffer(initial, max);
            ByteBuf ref = new UnpooledDirectByteBuf(UnpooledByteBufAllocator.DEFAULT, initial, max);
            mine.setZero(0, initial);
            assertSame(mine, ref, "after allocation");
            for (Op op : ops) {
                int before = mine.capacity();
                String m = outcome(op, mine);
                if (mine.capacity() > before) {
                    int from = Math.max(before, mine.writerIndex());
                    mine.setZero(from, mine.capacity() - from);
                }
                String r = outcome(op, ref);
                assertThat(m).as("result of %s", op).isEqualTo(r);
                assertSame(mine, ref, "after " + op);
            }
            assertThat(mine.release()).isTrue();
            ref.release();
            assertThatThrownBy(() -> mine.getByte(0)).isInstanceOf(IllegalReferenceCountException.class);
            assertThat(pool.stats().liveLeases()).isZero();
            assertThat(alloc.metric().usedDirectMemory()).isZero();
        }
    }

    private static final List<String> REFUSED = List.of("throws IllegalReferenceCountException",
            "throws IndexOutOfBoundsException", "throws IllegalArgumentException",
            "throws UnsupportedOperationException"); // a slice cannot change its capacity

    @Property(tries = 50)
    void releasedBuffersThrowOnEveryOperation(@ForAll("ops") @Size(max = 10) List<Op> ops) {
        try (BufferPool pool = BufferPool.builder().name("released").leakDetection(LeakDetection.OFF).build()) {
            ByteBuf mine = new MemkitByteBufAllocator(pool).directBuffer(64, 600).writeZero(40);
            ByteBuf derived = mine.slice();
            mine.release();
            for (Op op : ops) {
                if (op.code() == 25 || op.code() == 26 || op.code() == 27 || op.code() == 28 || touchesNothing(op)) {
                    continue; // index moves and empty ranges touch no memory, as on every Netty buffer
                }
                // Bad arguments and, on a derived buffer, its own bounds are checked first and may be
                // reported before the release; no step may return a value.
                assertThat(outcome(op, mine)).as("%s", op).isIn(REFUSED);
                assertThat(outcome(op, derived)).as("derived %s", op).isIn(REFUSED);
            }
        }
    }

    /** Whether the step's range is empty (Netty returns early on those, released or not). */
    private static boolean touchesNothing(Op op) {
        switch (op.code()) {
            case 23: case 24: case 32: case 36: case 37: case 38: case 43: return op.b() % 40 == 0;
            case 31: return op.b() == 0;
            case 39: case 40: case 50: return op.b() % 64 == 0 || op.b() % 64 == 1 || op.b() % 64 == -1;
            case 48: case 49: return op.b() % 64 == 0;
            case 51: return op.b() % 32 == 0;
            case 9: return op.a() % 50 == 0;
            default: return false;
        }
    }

    private static void assertSame(ByteBuf mine, ByteBuf ref, String when) {
        assertThat(mine.readerIndex()).as("readerIndex %s", when).isEqualTo(ref.readerIndex());
        assertThat(mine.writerIndex()).as("writerIndex %s", when).isEqualTo(ref.writerIndex());
        assertThat(mine.capacity()).as("capacity %s", when).isEqualTo(ref.capacity());
        assertThat(mine.maxCapacity()).as("maxCapacity %s", when).isEqualTo(ref.maxCapacity());
        assertThat(ByteBufUtil.hexDump(mine, 0, mine.capacity())).as("bytes %s", when)
                .isEqualTo(ByteBufUtil.hexDump(ref, 0, ref.capacity()));
    }

    private static byte[] pattern(int length, long seed) {
        byte[] b = new byte[Math.max(0, length)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return b;
    }

    private static String outcome(Op op, ByteBuf buf) {
        try {
            return String.valueOf(apply(op, buf));
        } catch (IllegalArgumentException e) {
            // The reference makes its copy and NIO views without an index check and lets
            // java.nio refuse a bad window; the ByteBuf contract (and memkit) says IndexOutOfBounds.
            boolean window = op.code() == 36 || op.code() == 37;
            return "throws " + (window ? "IndexOutOfBoundsException" : e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            return "throws " + e.getClass().getSimpleName();
        }
    }

    private static String content(ByteBuf b) {
        return ByteBufUtil.hexDump(b) + "@" + b.readerIndex() + "/" + b.writerIndex() + "/" + b.capacity();
    }

    private static <T extends ByteBuf> String releasing(T b, Function<T, String> f) {
        try {
            return f.apply(b);
        } finally {
            b.release();
        }
    }

    private static Object apply(Op op, ByteBuf b) {
        int a = op.a();
        int n = op.b();
        long v = op.v();
        switch (op.code()) {
            case 0: return b.writeByte((int) v).writerIndex();
            case 1: return b.writeShort((int) v).writerIndex();
            case 2: return b.writeMedium((int) v).writerIndex();
            case 3: return b.writeInt((int) v).writerIndex();
            case 4: return b.writeLong(v).writerIndex();
            case 5: return b.writeShortLE((int) v).writerIndex();
            case 6: return b.writeMediumLE((int) v).writerIndex();
            case 7: return b.writeIntLE((int) v).writerIndex();
            case 8: return b.writeLongLE(v).writerIndex();
            case 9: return b.writeBytes(pattern(a % 50, v)).writerIndex();
            case 10: return b.readByte();
            case 11: return b.readUnsignedShort();
            case 12: return b.readMedium();
            case 13: return b.readInt();
            case 14: return b.readLong();
            case 15: return b.readShortLE();
            case 16: return b.readUnsignedMediumLE();
            case 17: return b.readIntLE();
            case 18: return b.readLongLE();
            case 19: return b.getInt(a);
            case 20: return b.getLong(a);
            case 21: return b.setInt(a, (int) v).capacity();
            case 22: return b.setLongLE(a, v).capacity();
            case 23: {
                byte[] dst = new byte[Math.abs(n % 40)];
                b.getBytes(a, dst);
                return Arrays.toString(dst);
            }
            case 24: return b.setBytes(a, pattern(n % 40, v)).capacity();
            case 25: return b.readerIndex(a).readerIndex();
            case 26: return b.writerIndex(a).writerIndex();
            case 27: {
                b.markReaderIndex();
                b.skipBytes(Math.abs(n % 8));
                return b.resetReaderIndex().readerIndex();
            }
            case 28: return b.discardReadBytes().writerIndex();
            case 29: return b.ensureWritable(a).capacity();
            case 30: return b.capacity(a).capacity();
            case 31: return b.setZero(a, n).capacity();
            case 32: return content(b.slice(a, n));
            case 33: return content(b.duplicate());
            case 34: return releasing(b.readRetainedSlice(Math.abs(a % 16)), ByteBufModelTest::content);
            case 35: return b.order(ByteOrder.LITTLE_ENDIAN).getInt(a);
            case 36: return releasing(b.copy(a, n), c -> content(c) + c.isDirect());
            case 37: {
                ByteBuffer nio = b.nioBuffer(a, n);
                byte[] dst = new byte[nio.remaining()];
                nio.get(dst);
                return Arrays.toString(dst) + nio.isDirect();
            }
            case 38: return b.setBytes(a, ByteBuffer.wrap(pattern(n % 40, v))).capacity();
            case 39: return releasing(Unpooled.buffer(64), h -> {
                int len = Math.abs(n % 64);
                b.getBytes(a, h, 0, len);
                return ByteBufUtil.hexDump(h, 0, len);
            });
            case 40: return releasing(Unpooled.directBuffer(64).writeBytes(pattern(64, v)), d -> {
                b.setBytes(a, d, Math.abs(n % 64), Math.abs(n % 64) / 2);
                return "ok";
            });
            case 41: return b.bytesBefore((byte) v);
            case 42: return b.writeCharSequence("memkit-" + a, StandardCharsets.US_ASCII);
            case 43: {
                ByteBuffer dst = ByteBuffer.allocateDirect(Math.abs(n % 40));
                b.getBytes(a, dst);
                dst.flip();
                byte[] out = new byte[dst.remaining()];
                dst.get(out);
                return Arrays.toString(out);
            }
            case 44: return releasing(b.retainedDuplicate(), d -> String.valueOf(d.readLong()));
            case 45: return b.getUnsignedMediumLE(a);
            case 46: return b.setMedium(a, (int) v).capacity();
            case 47: return b.order(ByteOrder.LITTLE_ENDIAN).writeLong(v).writerIndex();
            case 48: return releasing(Unpooled.directBuffer(64), d -> {
                int len = Math.abs(n % 64);
                b.getBytes(a, d, 64 - len, len);
                return ByteBufUtil.hexDump(d, 64 - len, len);
            });
            case 49: return releasing(b.alloc().directBuffer(64), d -> {
                int len = Math.abs(n % 64);
                b.getBytes(a, d, 0, len);
                return ByteBufUtil.hexDump(d, 0, len);
            });
            case 50: return releasing(b.alloc().directBuffer(64).writeBytes(pattern(64, v)), d -> {
                b.setBytes(a, d, Math.abs(n % 64), Math.abs(n % 64) / 2);
                return "ok";
            });
            case 51: return releasing(Unpooled.directBuffer(64).writeZero(64), d -> {
                int len = Math.abs(n % 32);
                b.readBytes(d.slice(8, 40).clear(), len);
                return ByteBufUtil.hexDump(d) + b.readerIndex();
            });
            default: throw new AssertionError(op.code());
        }
    }
}
