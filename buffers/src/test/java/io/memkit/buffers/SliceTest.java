package io.memkit.buffers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SliceTest {

    /** Where the bytes live: every behaviour must hold for each. */
    enum Memory {
        HEAP, HEAP_OFFSET, DIRECT, READ_ONLY_HEAP, READ_ONLY_DIRECT;

        /** A Slice over a copy of {@code bytes}, surrounded by other bytes that must stay unreachable. */
        Slice of(byte[] bytes) {
            byte[] padded = new byte[bytes.length + 10];
            Arrays.fill(padded, (byte) 0x5A);
            System.arraycopy(bytes, 0, padded, 5, bytes.length);
            switch (this) {
                case HEAP:
                    return Slice.wrap(bytes.clone());
                case HEAP_OFFSET:
                    return Slice.wrap(padded, 5, bytes.length);
                case DIRECT:
                case READ_ONLY_DIRECT: {
                    ByteBuffer d = ByteBuffer.allocateDirect(padded.length);
                    d.put(padded).position(5).limit(5 + bytes.length);
                    return Slice.wrap(this == DIRECT ? d : d.asReadOnlyBuffer());
                }
                default: {
                    ByteBuffer h = ByteBuffer.wrap(padded).slice(3, padded.length - 3); // arrayOffset 3
                    h.position(2).limit(2 + bytes.length);
                    return Slice.wrap(h.asReadOnlyBuffer());
                }
            }
        }

        boolean readOnly() {
            return this == READ_ONLY_HEAP || this == READ_ONLY_DIRECT;
        }
    }

    private static final byte[] BYTES = {1, 2, 3, 4, 5, 6, 7, 8, (byte) 0x89, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF};

    @ParameterizedTest
    @EnumSource(Memory.class)
    void gettersReadBigAndLittleEndian(Memory memory) {
        Slice s = memory.of(BYTES);
        ByteBuffer be = ByteBuffer.wrap(BYTES);
        ByteBuffer le = ByteBuffer.wrap(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(s.length()).isEqualTo(12);
        assertThat(s.isReadOnly()).isEqualTo(memory.readOnly());
        assertThat(s.getByte(8)).isEqualTo((byte) 0x89);
        assertThat(s.getUnsignedByte(8)).isEqualTo(0x89);
        for (int i = 0; i <= 4; i++) {
            assertThat(s.getShort(i)).isEqualTo(be.getShort(i));
            assertThat(s.getShortLE(i)).isEqualTo(le.getShort(i));
            assertThat(s.getInt(i)).isEqualTo(be.getInt(i));
            assertThat(s.getIntLE(i)).isEqualTo(le.getInt(i));
            assertThat(s.getLong(i)).isEqualTo(be.getLong(i));
            assertThat(s.getLongLE(i)).isEqualTo(le.getLong(i));
        }
        assertThat(s.getInt(8)).isEqualTo(0x89ABCDEF);
    }

    @ParameterizedTest
    @EnumSource(value = Memory.class, names = {"HEAP", "HEAP_OFFSET", "DIRECT"})
    void puttersWriteBigAndLittleEndianInsideTheWindowOnly(Memory memory) {
        byte[] bytes = new byte[16];
        byte[] padded = new byte[26];
        Slice s = Slice.wrap(padded, 5, 16);
        if (memory == Memory.DIRECT) {
            s = Memory.DIRECT.of(bytes);
        } else if (memory == Memory.HEAP) {
            s = Slice.wrap(bytes);
        }
        s.putByte(0, (byte) -1);
        s.putShort(1, (short) 0x0102);
        s.putShortLE(3, (short) 0x0304);
        s.putInt(5, 0x05060708);
        s.putIntLE(9, 0x090A0B0C);
        assertThat(s.toByteArray()).startsWith(-1, 1, 2, 4, 3, 5, 6, 7, 8, 0x0C, 0x0B, 0x0A, 9);
        s.putLong(0, 0x1122334455667788L);
        s.putLongLE(8, 0x1122334455667788L);
        assertThat(s.getLong(0)).isEqualTo(0x1122334455667788L);
        assertThat(s.getLong(8)).isEqualTo(0x8877665544332211L);
        if (memory == Memory.HEAP_OFFSET) {
            assertThat(Arrays.copyOfRange(padded, 0, 5)).containsOnly(0);
            assertThat(Arrays.copyOfRange(padded, 21, 26)).containsOnly(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void outOfWindowAccessThrowsNamingIndexLengthAndWindow(Memory memory) {
        Slice s = memory.of(BYTES).slice(2, 8);
        assertThatThrownBy(() -> s.getInt(5))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index 5").hasMessageContaining("length 4")
                .hasMessageContaining("window of 8 bytes");
        assertThatThrownBy(() -> s.getByte(-1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index -1");
        assertThatThrownBy(() -> s.getByte(8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.getLong(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.getLongLE(Integer.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.getShort(Integer.MIN_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.slice(4, 5)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index 4, length 5");
        assertThatThrownBy(() -> s.slice(0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.slice(1, Integer.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.indexOf((byte) 1, 9)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(s.slice(8, 0).length()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Memory.class, names = {"READ_ONLY_HEAP", "READ_ONLY_DIRECT"})
    void putsOnReadOnlySlicesThrowAndSlicesOfThemStayReadOnly(Memory memory) {
        Slice s = memory.of(BYTES);
        Slice inner = s.slice(1, 4);
        assertThat(inner.isReadOnly()).isTrue();
        assertThatThrownBy(() -> inner.putByte(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> inner.putInt(0, 1)).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> inner.putLongLE(0, 1)).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> inner.putBytes(0, Slice.wrap(new byte[1]))).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(s.asByteBuffer().isReadOnly()).isTrue();
        assertThat(s.getByte(0)).isEqualTo((byte) 1);
    }

    @Test
    void asReadOnlySharesBytesButRefusesPuts() {
        byte[] bytes = new byte[8];
        Slice s = Slice.wrap(bytes);
        Slice ro = s.asReadOnly();
        assertThat(ro.asReadOnly()).isSameAs(ro);
        assertThatThrownBy(() -> ro.putShort(0, (short) 1)).isInstanceOf(ReadOnlyBufferException.class);
        s.putInt(0, 42);
        assertThat(ro.getInt(0)).isEqualTo(42);
        assertThat(ro.slice(0, 4).isReadOnly()).isTrue();
        assertThat(ro.asByteBuffer().isReadOnly()).isTrue();
        assertThat(s.isReadOnly()).isFalse();
    }

    @Test
    void wrapOfByteBufferTakesPositionToLimitAndLeavesTheBufferAlone() {
        ByteBuffer b = ByteBuffer.allocateDirect(32).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4, 0x01020304).position(4).limit(12);
        Slice s = Slice.wrap(b);
        b.position(0).limit(32);
        assertThat(s.length()).isEqualTo(8);
        assertThat(s.getInt(0)).isEqualTo(0x04030201); // big-endian read of a little-endian write
        assertThat(b.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        s.putInt(4, 7);
        assertThat(b.order(ByteOrder.BIG_ENDIAN).getInt(8)).isEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void asByteBufferIsANewBigEndianViewOfTheWindow(Memory memory) {
        Slice s = memory.of(BYTES).slice(4, 8);
        ByteBuffer v = s.asByteBuffer();
        assertThat(v.position()).isZero();
        assertThat(v.limit()).isEqualTo(8);
        assertThat(v.capacity()).isEqualTo(8);
        assertThat(v.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(v.getInt(4)).isEqualTo(0x89ABCDEF);
        assertThat(v.isDirect()).isEqualTo(memory == Memory.DIRECT || memory == Memory.READ_ONLY_DIRECT);
    }

    @Test
    void asByteBufferTellsTheOwnerThatARawViewEscaped() {
        TestOwner owner = new TestOwner(ByteBuffer.allocateDirect(16), "lease A");
        Slice s = owner.slice();
        s.getInt(0);
        s.slice(0, 4).toString(StandardCharsets.US_ASCII);
        assertThat(owner.escapes).isZero();
        s.slice(2, 4).asByteBuffer();
        assertThat(owner.escapes).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void equalsHashCodeAndCompareToGoByContent(Memory memory) {
        Slice a = memory.of(BYTES);
        Slice b = Slice.wrap(BYTES.clone());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.compareTo(b)).isZero();
        assertThat(a.contentEquals(b)).isTrue();
        assertThat(a.slice(0, 11)).isNotEqualTo(b);
        assertThat(a.slice(0, 11).compareTo(b)).isNegative();
        assertThat(a.compareTo(b.slice(0, 11))).isPositive();
        // unsigned: 0x89 sorts after 0x08
        assertThat(a.slice(8, 1).compareTo(a.slice(7, 1))).isPositive();
        assertThat(Memory.DIRECT.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0})
                .compareTo(Memory.DIRECT.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, (byte) 0xFF}))).isNegative();
        assertThat(Memory.DIRECT.of(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) 0x80, 9})
                .compareTo(Memory.DIRECT.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 0x7F, 9}))).isPositive();
        assertThat(a).isNotEqualTo("not a slice");
        assertThat(Slice.empty()).isEqualTo(a.slice(3, 0));
    }

    @Test
    void compareToSortsLikeUnsignedLexicographicOrder() {
        List<Slice> slices = new ArrayList<>();
        byte[][] arrays = {{}, {0}, {(byte) 0xFF}, {0x7F, 1}, {(byte) 0x80}, {0, 0}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
        for (byte[] array : arrays) {
            slices.add(Memory.DIRECT.of(array));
            slices.add(Slice.wrap(array));
        }
        Collections.shuffle(slices, new java.util.Random(7));
        Collections.sort(slices);
        for (int i = 1; i < slices.size(); i++) {
            assertThat(Arrays.compareUnsigned(slices.get(i - 1).toByteArray(), slices.get(i).toByteArray()))
                    .isLessThanOrEqualTo(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void toStringOfCharsetDecodesTheWindow(Memory memory) {
        byte[] text = "héllo wörld".getBytes(StandardCharsets.UTF_8);
        Slice s = memory.of(text);
        assertThat(s.toString(StandardCharsets.UTF_8)).isEqualTo("héllo wörld");
        assertThat(s.slice(0, 1).toString(StandardCharsets.US_ASCII)).isEqualTo("h");
        assertThat(s.toString()).contains("length=" + text.length).doesNotContain("llo");
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void indexOfFindsTheFirstMatchAtOrAfterFromIndex(Memory memory) {
        Slice s = memory.of(new byte[] {9, 1, 2, 1, 3}).slice(1, 4);
        assertThat(s.indexOf((byte) 1, 0)).isZero();
        assertThat(s.indexOf((byte) 1, 1)).isEqualTo(2);
        assertThat(s.indexOf((byte) 9, 0)).isEqualTo(-1);
        assertThat(s.indexOf((byte) 3, 4)).isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void copiesCopyTheWindowAndAreCounted(Memory memory) {
        Slice s = memory.of(BYTES).slice(2, 6);
        SliceStats before = Slice.stats();
        byte[] dst = new byte[10];
        s.copyTo(dst, 3);
        assertThat(dst).containsExactly(0, 0, 0, 3, 4, 5, 6, 7, 8, 0);
        ByteBuffer buf = ByteBuffer.allocateDirect(8).position(1);
        s.copyTo(buf);
        assertThat(buf.position()).isEqualTo(7);
        assertThat(buf.get(1)).isEqualTo((byte) 3);
        assertThat(s.toByteArray()).containsExactly(3, 4, 5, 6, 7, 8);
        SliceStats after = Slice.stats();
        assertThat(after.copies() - before.copies()).isEqualTo(3);
        assertThat(after.bytesCopied() - before.bytesCopied()).isEqualTo(18);
        assertThatThrownBy(() -> s.copyTo(new byte[6], 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.copyTo(ByteBuffer.allocate(5))).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("5 bytes remaining");
        assertThatThrownBy(() -> s.copyTo(ByteBuffer.allocate(8).asReadOnlyBuffer()))
                .isInstanceOf(ReadOnlyBufferException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Memory.class, names = {"HEAP", "HEAP_OFFSET", "DIRECT"})
    void putBytesCopiesIncludingOverlappingWindowsOfTheSameMemory(Memory memory) {
        Slice s = memory.of(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        s.putBytes(2, s.slice(0, 6));
        assertThat(s.toByteArray()).containsExactly(0, 1, 0, 1, 2, 3, 4, 5, 8, 9);
        s.putBytes(0, s.slice(4, 6));
        assertThat(s.toByteArray()).containsExactly(2, 3, 4, 5, 8, 9, 4, 5, 8, 9);
        s.putBytes(8, Memory.READ_ONLY_DIRECT.of(new byte[] {42, 43}));
        assertThat(s.getShort(8)).isEqualTo((short) (42 << 8 | 43));
        assertThatThrownBy(() -> s.putBytes(9, Slice.wrap(new byte[2]))).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void viewsAreCountedWithTheirLengths() {
        Slice s = Slice.wrap(new byte[100]);
        SliceStats before = Slice.stats();
        s.slice(10, 20).slice(0, 5);
        s.asReadOnly();
        Slice.wrap(ByteBuffer.allocate(7));
        SliceStats after = Slice.stats();
        assertThat(after.views() - before.views()).isEqualTo(4);
        assertThat(after.bytesViewed() - before.bytesViewed()).isEqualTo(20 + 5 + 100 + 7);
        assertThat(after.copies()).isEqualTo(before.copies());
    }

    @Test
    void copyOfSharesNothingWithTheArray() {
        byte[] a = {1, 2, 3};
        Slice s = Slice.copyOf(a);
        a[0] = 9;
        assertThat(s.getByte(0)).isEqualTo((byte) 1);
        assertThat(Slice.wrap(a).getByte(0)).isEqualTo((byte) 9);
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> Slice.wrap((byte[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Slice.wrap((ByteBuffer) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Slice.wrap(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Slice.wrap(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Slice.empty().compareTo(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Slice.empty().toString(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Slice.empty().writeTo(null)).isInstanceOf(NullPointerException.class);
        assertThat(Slice.empty().length()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void writeToWritesEverythingThroughPartialWrites(Memory memory) throws IOException {
        byte[] bytes = new byte[1000];
        new java.util.Random(1).nextBytes(bytes);
        Slice s = memory.of(bytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel sink = Channels.newChannel(out);
        int[] calls = {0};
        WritableByteChannel trickle = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                calls[0]++;
                if (calls[0] % 2 == 0) {
                    return 0; // a non-blocking channel that is full for a moment
                }
                ByteBuffer part = src.duplicate();
                part.limit(Math.min(part.limit(), part.position() + 7));
                int n = sink.write(part);
                src.position(src.position() + n);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        assertThat(s.writeTo(trickle)).isEqualTo(1000);
        assertThat(out.toByteArray()).isEqualTo(bytes);
        assertThat(calls[0]).isGreaterThan(2 * 142);
    }
}
