package io.memkit.buffers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Every accessor against a reference computed on a plain byte[], over random nested windows. */
class SlicePropertiesTest {

    enum Kind { HEAP, HEAP_IN_LARGER_ARRAY, DIRECT, READ_ONLY_DIRECT, READ_ONLY_HEAP }

    /** A random array, where it lives, and a chain of nested windows into it. */
    record Case(byte[] bytes, Kind kind, List<int[]> windows) {

        /** The Slice at the end of the chain, and (out) the reference window's offset and length. */
        Slice slice(int[] window) {
            Slice s;
            switch (kind) {
                case HEAP:
                    s = Slice.wrap(bytes);
                    break;
                case HEAP_IN_LARGER_ARRAY: {
                    byte[] larger = new byte[bytes.length + 7];
                    System.arraycopy(bytes, 0, larger, 3, bytes.length);
                    s = Slice.wrap(larger, 3, bytes.length);
                    break;
                }
                case READ_ONLY_HEAP:
                    s = Slice.wrap(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
                    break;
                default: {
                    ByteBuffer d = ByteBuffer.allocateDirect(bytes.length + 5);
                    d.position(5);
                    d.put(bytes).position(5);
                    s = Slice.wrap(kind == Kind.DIRECT ? d : d.asReadOnlyBuffer());
                }
            }
            int offset = 0;
            int length = bytes.length;
            for (int[] w : windows) { // w = per-mille fractions: where the sub-window starts, how long it is
                int start = (int) ((long) length * w[0] / 1000);
                int len = (int) ((long) (length - start) * w[1] / 1000);
                s = s.slice(start, len);
                offset += start;
                length = len;
            }
            window[0] = offset;
            window[1] = length;
            return s;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<int[]> window = Combinators.combine(Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 1000)).as((a, b) -> new int[] {a, b});
        return Combinators.combine(bytes, Arbitraries.of(Kind.class), window.list().ofMaxSize(4)).as(Case::new);
    }

    @Property(tries = 300)
    void everyGetterAgreesWithTheReference(@ForAll("cases") Case c) {
        int[] w = new int[2];
        Slice s = c.slice(w);
        byte[] ref = Arrays.copyOfRange(c.bytes(), w[0], w[0] + w[1]);
        assertThat(s.length()).isEqualTo(ref.length);
        for (int i = 0; i < ref.length; i++) {
            assertThat(s.getByte(i)).isEqualTo(ref[i]);
            assertThat(s.getUnsignedByte(i)).isEqualTo(ref[i] & 0xFF);
            if (i + 2 <= ref.length) {
                assertThat(s.getShort(i)).isEqualTo((short) ByteModel.read(ref, i, 2, false));
                assertThat(s.getShortLE(i)).isEqualTo((short) ByteModel.read(ref, i, 2, true));
            }
            if (i + 4 <= ref.length) {
                assertThat(s.getInt(i)).isEqualTo((int) ByteModel.read(ref, i, 4, false));
                assertThat(s.getIntLE(i)).isEqualTo((int) ByteModel.read(ref, i, 4, true));
            }
            if (i + 8 <= ref.length) {
                assertThat(s.getLong(i)).isEqualTo(ByteModel.read(ref, i, 8, false));
                assertThat(s.getLongLE(i)).isEqualTo(ByteModel.read(ref, i, 8, true));
            }
        }
        assertThat(s.toByteArray()).isEqualTo(ref);
        assertThat(s).isEqualTo(Slice.wrap(ref)).hasSameHashCodeAs(Slice.wrap(ref));
        assertThat(Integer.signum(s.compareTo(Slice.wrap(c.bytes()))))
                .isEqualTo(Integer.signum(Arrays.compareUnsigned(ref, c.bytes())));
        if (ref.length > 0) {
            byte b = ref[ref.length / 2];
            int expected = -1;
            for (int i = 0; i < ref.length; i++) {
                if (ref[i] == b) {
                    expected = i;
                    break;
                }
            }
            assertThat(s.indexOf(b, 0)).isEqualTo(expected);
        }
    }

    @Property(tries = 300)
    void everyOutOfWindowIndexThrows(@ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 20) int beyond) {
        int[] w = new int[2];
        Slice s = c.slice(w);
        int len = w[1];
        int[] sizes = {1, 2, 4, 8};
        for (int size : sizes) {
            int[] bad = {-beyond, len - size + beyond, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE - size + 1};
            for (int i : bad) {
                if (i >= 0 && i <= len - size) {
                    continue;
                }
                for (Runnable access : accessors(s, i, size)) {
                    assertThatThrownBy(access::run).as("index %d size %d window %d", i, size, len)
                            .isInstanceOf(IndexOutOfBoundsException.class)
                            .hasMessageContaining("index " + i);
                }
            }
        }
        assertThatThrownBy(() -> s.slice(len - beyond + 1, beyond)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.slice(-beyond, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Property(tries = 200)
    void putsAgreeWithTheReference(@ForAll @Size(min = 8, max = 200) byte[] bytes, @ForAll boolean direct,
            @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 1_000_000) Integer> ops) {
        byte[] ref = bytes.clone();
        Slice s;
        if (direct) {
            ByteBuffer d = ByteBuffer.allocateDirect(bytes.length);
            d.put(bytes).flip();
            s = Slice.wrap(d);
        } else {
            s = Slice.wrap(bytes.clone());
        }
        long value = 0x0123_4567_89AB_CDEFL;
        for (int op : ops) {
            int kind = op % 7;
            int size = kind == 0 ? 1 : kind <= 2 ? 2 : kind <= 4 ? 4 : 8;
            int i = (op / 7) % (ref.length - size + 1);
            value = value * 6364136223846793005L + op;
            switch (kind) {
                case 0: s.putByte(i, (byte) value); ByteModel.write(ref, i, 1, false, value); break;
                case 1: s.putShort(i, (short) value); ByteModel.write(ref, i, 2, false, value); break;
                case 2: s.putShortLE(i, (short) value); ByteModel.write(ref, i, 2, true, value); break;
                case 3: s.putInt(i, (int) value); ByteModel.write(ref, i, 4, false, value); break;
                case 4: s.putIntLE(i, (int) value); ByteModel.write(ref, i, 4, true, value); break;
                case 5: s.putLong(i, value); ByteModel.write(ref, i, 8, false, value); break;
                default: s.putLongLE(i, value); ByteModel.write(ref, i, 8, true, value); break;
            }
        }
        assertThat(s.toByteArray()).isEqualTo(ref);
    }

    private static Runnable[] accessors(Slice s, int i, int size) {
        switch (size) {
            case 1:
                return new Runnable[] {() -> s.getByte(i), () -> s.getUnsignedByte(i)};
            case 2:
                return new Runnable[] {() -> s.getShort(i), () -> s.getShortLE(i)};
            case 4:
                return new Runnable[] {() -> s.getInt(i), () -> s.getIntLE(i)};
            default:
                return new Runnable[] {() -> s.getLong(i), () -> s.getLongLE(i)};
        }
    }
}
