package io.memkit.buffers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Sequences of {@link Slice} and {@link CompositeSlice} operations chosen by the fuzzer, checked
 * against a {@code byte[]} model of the memory: every result, every exception (out of the window,
 * read-only, released) and every byte.
 *
 * <p>{@code mvn verify} replays the committed inputs under
 * {@code src/test/resources/io/memkit/buffers/SliceFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes for real (see the README).
 */
class SliceFuzzTest {

    /** A view under test and where its window sits in the model. */
    private record View(Slice slice, int offset, int length, boolean readOnly) {
    }

    // Fuzzing (JAZZER_FUZZ=1) stops after 5 minutes, inside the build's 7-minute fork timeout;
    // replaying the committed inputs takes seconds.
    @FuzzTest(maxDuration = "5m")
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void sliceOperationsMatchAByteArray(FuzzedDataProvider data) throws IOException {
        int size = data.consumeInt(0, 300);
        int kind = data.consumeInt(0, 3); // heap, direct, lease over heap, lease over direct
        ByteBuffer memory = kind % 2 == 0 ? ByteBuffer.allocate(size) : ByteBuffer.allocateDirect(size);
        byte[] model = new byte[size];
        TestOwner lease = kind >= 2 ? new TestOwner(memory, "fuzzed lease") : null;
        Slice whole = lease != null ? lease.slice() : Slice.wrap(memory);
        boolean released = false;
        List<View> views = new ArrayList<>();
        views.add(new View(whole, 0, size, false));

        for (int step = 0; step < 48 && data.remainingBytes() > 0; step++) {
            View v = views.get(data.consumeInt(0, views.size() - 1));
            Slice s = v.slice;
            int op = data.consumeInt(0, 13);
            int index = data.consumeInt(-2, v.length + 2);
            int width = op <= 3 ? new int[] {1, 2, 4, 8}[op] : 1;
            boolean inWindow = index >= 0 && index + width <= v.length;
            switch (op) {
                case 0, 1, 2, 3 -> { // get, big- and little-endian, of width 1, 2, 4, 8
                    boolean le = data.consumeBoolean();
                    if (!inWindow) {
                        assertThatThrownBy(() -> ByteModel.get(s, width, index, le)).isInstanceOf(IndexOutOfBoundsException.class);
                    } else if (released) {
                        assertThatThrownBy(() -> ByteModel.get(s, width, index, le)).isInstanceOf(IllegalStateException.class);
                    } else {
                        assertThat(ByteModel.get(s, width, index, le)).isEqualTo(ByteModel.read(model, v.offset + index, width, le));
                    }
                }
                case 4 -> { // put of a fuzzed width and order
                    int w = new int[] {1, 2, 4, 8}[data.consumeInt(0, 3)];
                    boolean le = data.consumeBoolean();
                    long value = data.consumeLong();
                    boolean fits = index >= 0 && index + w <= v.length;
                    Class<? extends Exception> expected = v.readOnly ? ReadOnlyBufferException.class
                            : released ? IllegalStateException.class
                            : !fits ? IndexOutOfBoundsException.class : null;
                    if (expected != null) {
                        assertThatThrownBy(() -> ByteModel.put(s, w, index, le, value)).isInstanceOf(expected);
                    } else {
                        ByteModel.put(s, w, index, le, value);
                        ByteModel.write(model, v.offset + index, w, le, value);
                    }
                }
                case 5 -> { // slice
                    int length = data.consumeInt(-1, v.length + 1);
                    boolean fits = index >= 0 && length >= 0 && index + length <= v.length;
                    if (!fits) {
                        assertThatThrownBy(() -> s.slice(index, length)).isInstanceOf(IndexOutOfBoundsException.class);
                    } else if (released) {
                        assertThatThrownBy(() -> s.slice(index, length)).isInstanceOf(IllegalStateException.class);
                    } else {
                        views.add(new View(s.slice(index, length), v.offset + index, length, v.readOnly));
                    }
                }
                case 6 -> { // read-only view
                    if (released) {
                        assertThatThrownBy(s::asReadOnly).isInstanceOf(IllegalStateException.class);
                    } else {
                        views.add(new View(s.asReadOnly(), v.offset, v.length, true));
                    }
                }
                case 7 -> { // putBytes from another view of the same memory (may overlap)
                    View src = views.get(data.consumeInt(0, views.size() - 1));
                    boolean fits = index >= 0 && index + src.length <= v.length;
                    Class<? extends Exception> expected = v.readOnly ? ReadOnlyBufferException.class
                            : released ? IllegalStateException.class
                            : !fits ? IndexOutOfBoundsException.class : null;
                    if (expected != null) {
                        assertThatThrownBy(() -> s.putBytes(index, src.slice)).isInstanceOf(expected);
                    } else {
                        s.putBytes(index, src.slice);
                        System.arraycopy(model, src.offset, model, v.offset + index, src.length);
                    }
                }
                case 8 -> { // whole-window reads: bytes, hash, text, search
                    byte[] expected = Arrays.copyOfRange(model, v.offset, v.offset + v.length);
                    if (released) {
                        assertThatThrownBy(s::toByteArray).isInstanceOf(IllegalStateException.class);
                        assertThat(s.hashCode()).isEqualTo(System.identityHashCode(s));
                        assertThatThrownBy(() -> s.indexOf((byte) 0, 0)).isInstanceOf(IllegalStateException.class);
                    } else {
                        assertThat(s.toByteArray()).isEqualTo(expected);
                        assertThat(s.hashCode()).isEqualTo(Arrays.hashCode(expected));
                        assertThat(s.toString(StandardCharsets.ISO_8859_1))
                                .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
                        byte needle = data.consumeByte();
                        int from = Math.max(0, Math.min(index, v.length));
                        assertThat(s.indexOf(needle, from)).isEqualTo(indexOf(expected, needle, from));
                        ByteBuffer dst = ByteBuffer.allocate(v.length + 1).position(1);
                        s.copyTo(dst);
                        assertThat(Arrays.copyOfRange(dst.array(), 1, v.length + 1)).isEqualTo(expected);
                    }
                }
                case 9 -> { // comparison with another view
                    View o = views.get(data.consumeInt(0, views.size() - 1));
                    if (released) {
                        assertThatThrownBy(() -> s.compareTo(o.slice)).isInstanceOf(IllegalStateException.class);
                        assertThatThrownBy(() -> s.contentEquals(o.slice)).isInstanceOf(IllegalStateException.class);
                        assertThat(s.equals(o.slice)).isEqualTo(s == o.slice); // all views share the lease
                    } else {
                        byte[] a = Arrays.copyOfRange(model, v.offset, v.offset + v.length);
                        byte[] b = Arrays.copyOfRange(model, o.offset, o.offset + o.length);
                        assertThat(Integer.signum(s.compareTo(o.slice))).isEqualTo(Integer.signum(Arrays.compareUnsigned(a, b)));
                        assertThat(s.contentEquals(o.slice)).isEqualTo(Arrays.equals(a, b));
                        assertThat(s.equals(o.slice)).isEqualTo(Arrays.equals(a, b));
                    }
                }
                case 10 -> { // a composite of fuzzed views, read and written out
                    int parts = data.consumeInt(0, 5);
                    List<Slice> list = new ArrayList<>();
                    ByteArrayOutputStream concat = new ByteArrayOutputStream();
                    for (int k = 0; k < parts; k++) {
                        View p = views.get(data.consumeInt(0, views.size() - 1));
                        list.add(p.slice);
                        concat.write(model, p.offset, p.length);
                    }
                    CompositeSlice c = CompositeSlice.of(list);
                    byte[] expected = concat.toByteArray();
                    assertThat(c.length()).isEqualTo(expected.length);
                    long at = data.consumeLong(-1, expected.length);
                    boolean touches = !list.isEmpty(); // every part is a view of the lease
                    if (released && touches) {
                        assertThatThrownBy(c::toByteArray).isInstanceOf(IllegalStateException.class);
                        assertThatThrownBy(() -> c.writeTo(TrickleChannel.anyWrites(3))).isInstanceOf(IllegalStateException.class);
                        assertThatThrownBy(() -> c.contentEquals(CompositeSlice.of(Slice.wrap(expected))))
                                .isInstanceOf(IllegalStateException.class);
                    } else {
                        assertThat(c.toByteArray()).isEqualTo(expected);
                        TrickleChannel out = TrickleChannel.anyWrites(data.consumeInt(1, 64));
                        assertThat(c.writeTo(out)).isEqualTo(expected.length);
                        assertThat(out.out.toByteArray()).isEqualTo(expected);
                        assertThat(c.contentEquals(CompositeSlice.of(Slice.wrap(expected)))).isTrue();
                        if (at < 0 || at >= expected.length) {
                            assertThatThrownBy(() -> c.getByte(at)).isInstanceOf(IndexOutOfBoundsException.class);
                        } else {
                            assertThat(c.getByte(at)).isEqualTo(expected[(int) at]);
                        }
                    }
                }
                case 11 -> { // the lease ends; wrapped memory never does
                    if (lease != null && !released) {
                        lease.release();
                        released = true;
                    }
                    assertThat(s.isAccessible()).isEqualTo(!released);
                }
                case 12 -> { // writeTo a single-buffer channel
                    TrickleChannel out = TrickleChannel.anyWrites(data.consumeInt(1, 64));
                    if (released) {
                        assertThatThrownBy(() -> s.writeTo(out)).isInstanceOf(IllegalStateException.class);
                    } else {
                        assertThat(s.writeTo(out)).isEqualTo(v.length);
                        assertThat(out.out.toByteArray()).isEqualTo(Arrays.copyOfRange(model, v.offset, v.offset + v.length));
                    }
                }
                default -> { // copyTo an array at a fuzzed offset
                    byte[] dst = new byte[data.consumeInt(0, 310)];
                    boolean fits = index >= 0 && index + v.length <= dst.length;
                    if (!fits) {
                        assertThatThrownBy(() -> s.copyTo(dst, index)).isInstanceOf(IndexOutOfBoundsException.class);
                    } else if (released) {
                        assertThatThrownBy(() -> s.copyTo(dst, index)).isInstanceOf(IllegalStateException.class);
                        assertThat(dst).containsOnly((byte) 0);
                    } else {
                        s.copyTo(dst, index);
                        assertThat(Arrays.copyOfRange(dst, index, index + v.length))
                                .isEqualTo(Arrays.copyOfRange(model, v.offset, v.offset + v.length));
                    }
                }
            }
        }
        if (!released) {
            assertThat(whole.toByteArray()).isEqualTo(model);
        }
    }

    private static int indexOf(byte[] a, byte value, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
