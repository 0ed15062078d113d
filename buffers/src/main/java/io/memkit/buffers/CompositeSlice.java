package io.memkit.buffers;

import io.memkit.buffers.internal.SliceCounters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.List;
import java.util.Objects;

/**
 * A zero-copy concatenation of {@link Slice}s, for example a header, a body and a trailer, that
 * is written to a channel with gathering writes instead of being copied into one buffer.
 *
 * <p>Cost: {@link #of} copies the list of parts (one array of references), never their bytes.
 * {@link #getByte(long)} is O(parts): a composite is meant for a few parts written out together.
 *
 * <p>Lifetime: the parts keep their own lifetimes. Every method that touches bytes throws
 * {@link IllegalStateException} once any part it touches was released, with the same guarantees
 * as {@link Slice}.
 *
 * <p>Thread-safety: immutable; may be shared between threads, with the same caveat as Slice about
 * concurrent writes to the underlying bytes.
 */
public final class CompositeSlice {

    private static final CompositeSlice EMPTY = new CompositeSlice(new Slice[0]);

    private final Slice[] parts;
    private final long length;

    private CompositeSlice(Slice[] parts) {
        this.parts = parts;
        long total = 0;
        for (Slice part : parts) {
            total += part.length();
        }
        this.length = total;
    }

    /**
     * Concatenates {@code parts} in order. O(parts), no byte copy; the array is copied, so later
     * changes to it do not affect the result.
     *
     * @param parts the slices; may be empty, and parts may be empty or repeated
     * @return the concatenation
     * @throws NullPointerException if {@code parts} or any part is {@code null}
     */
    public static CompositeSlice of(Slice... parts) {
        Objects.requireNonNull(parts, "parts must not be null");
        return parts.length == 0 ? EMPTY : new CompositeSlice(checked(parts.clone()));
    }

    /**
     * Concatenates {@code parts} in order. O(parts), no byte copy; the list is copied.
     *
     * @param parts the slices; may be empty, and parts may be empty or repeated
     * @return the concatenation
     * @throws NullPointerException if {@code parts} or any part is {@code null}
     */
    public static CompositeSlice of(List<Slice> parts) {
        Objects.requireNonNull(parts, "parts must not be null");
        return parts.isEmpty() ? EMPTY : new CompositeSlice(checked(parts.toArray(new Slice[0])));
    }

    private static Slice[] checked(Slice[] parts) {
        for (int k = 0; k < parts.length; k++) {
            if (parts[k] == null) {
                throw new NullPointerException("part " + k + " of " + parts.length + " is null");
            }
        }
        return parts;
    }

    /**
     * The total number of bytes: the sum of the parts' lengths, which may exceed
     * {@link Integer#MAX_VALUE}.
     *
     * @return the length
     */
    public long length() {
        return length;
    }

    /**
     * The parts, in order.
     *
     * @return an unmodifiable list of the Slices given to {@link #of}
     */
    public List<Slice> parts() {
        return List.of(parts);
    }

    /**
     * The byte at {@code index} of the concatenation. O(parts).
     *
     * @param index from 0 to {@link #length()} exclusive
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException     if the part holding it was released
     */
    public byte getByte(long index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for composite of "
                    + length + " bytes in " + parts.length + " parts");
        }
        // A linear scan: composites have a few parts, and a table of offsets would cost an array per of().
        long rest = index;
        int k = 0;
        while (rest >= parts[k].length()) { // never past the last part: index < length
            rest -= parts[k].length();
            k++;
        }
        return parts[k].getByteUnchecked((int) rest);
    }

    /**
     * New {@link ByteBuffer} views of the parts, as {@link Slice#asByteBuffer()} makes them:
     * no copy, and the views escape memkit's lifetime checks.
     *
     * @return one buffer per part, each at position 0 with limit its part's length
     * @throws IllegalStateException if a part was released
     */
    public ByteBuffer[] asByteBuffers() {
        ByteBuffer[] views = new ByteBuffer[parts.length];
        for (int k = 0; k < parts.length; k++) {
            views[k] = parts[k].asByteBuffer();
        }
        return views;
    }

    /**
     * Writes all bytes to {@code channel} with gathering writes: one
     * {@link GatheringByteChannel#write(ByteBuffer[], int, int)} per call, over the parts not yet
     * fully written, until every byte is out. No byte is copied by memkit. The channel reads
     * {@link ByteBuffer} views of the parts, which it must not keep after the call. Lifetimes are
     * checked before each write and again after each, for every part the write was given, so a
     * part released while the channel reads it (for example from the channel's own code) makes
     * this throw rather than report success; the bytes already written cannot be taken back. On a
     * non-blocking channel that accepts nothing, this spins until it does.
     *
     * @param channel where to write
     * @return the number of bytes written, always {@link #length()}
     * @throws NullPointerException  if {@code channel} is {@code null}
     * @throws IOException           if the channel fails; some bytes may have been written
     * @throws IllegalStateException if a part was released
     */
    public long writeTo(GatheringByteChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel must not be null");
        Slice[] ps = parts;
        int count = ps.length;
        ByteBuffer[] views = new ByteBuffer[count];
        for (int k = 0; k < count; k++) {
            ps[k].checkAccessible();
            views[k] = ps[k].internalView();
        }
        long remaining = length;
        if (remaining > 0) {
            // The first write offers the whole array and usually takes everything. Keeping this
            // method small lets the JIT inline it, and with an inlined channel keep the array and
            // this composite off the heap; partial writes continue out of line.
            remaining -= channel.write(views);
            checkAfterLoads(ps, 0);
            if (remaining > 0) {
                writeRest(channel, views, remaining);
            }
        }
        return length;
    }

    /** The rest of {@link #writeTo} after a partial first write: one gathering write per call, over the parts not yet written. */
    private void writeRest(GatheringByteChannel channel, ByteBuffer[] views, long remaining) throws IOException {
        Slice[] ps = parts;
        int count = ps.length;
        int first = 0;
        while (remaining > 0) {
            while (!views[first].hasRemaining()) {
                first++;
            }
            for (int k = first; k < count; k++) {
                ps[k].checkAccessible();
            }
            long written = channel.write(views, first, count - first);
            if (written == 0) {
                Thread.onSpinWait();
            }
            remaining -= written;
            checkAfterLoads(ps, first);
        }
    }

    /** The re-check after a channel read the views of {@code ps[from..]}. */
    private static void checkAfterLoads(Slice[] ps, int from) {
        for (int k = from; k < ps.length; k++) {
            ps[k].checkAfterLoads();
        }
    }

    /**
     * A new array with all bytes, in order. Counted as one copy in {@link Slice#stats()}.
     *
     * @return a copy of {@link #length()} bytes
     * @throws IllegalStateException if a part was released, or if the length exceeds the largest
     *                               array the JVM can allocate ({@code Integer.MAX_VALUE - 8})
     */
    public byte[] toByteArray() {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("composite of " + length + " bytes does not fit in a byte[]");
        }
        byte[] copy = new byte[(int) length];
        int at = 0;
        for (Slice part : parts) {
            part.copyInto(copy, at);
            at += part.length();
        }
        SliceCounters.copy(length);
        return copy;
    }

    /**
     * Tells whether {@code other} holds the same bytes in the same order, however either is split
     * into parts. O(length), no allocation.
     *
     * @param other the composite to compare with
     * @return {@code true} if the contents are equal
     * @throws NullPointerException  if {@code other} is {@code null}
     * @throws IllegalStateException if a part was released
     */
    public boolean contentEquals(CompositeSlice other) {
        Objects.requireNonNull(other, "other must not be null");
        if (other.length != length) {
            checkAll();
            other.checkAll();
            return false;
        }
        int k = 0;
        int j = 0;
        int at = 0; // position in parts[k]
        int otherAt = 0; // position in other.parts[j]
        long left = length;
        while (left > 0) {
            Slice a = parts[k];
            Slice b = other.parts[j];
            int n = Math.min(a.length() - at, b.length() - otherAt);
            if (n > 0 && Slice.compareRanges(a, at, n, b, otherAt, n) != 0) {
                checkAll(); // parts after the difference were not read: a released one still throws
                other.checkAll();
                return false;
            }
            at += n;
            otherAt += n;
            left -= n;
            if (at == a.length()) {
                k++;
                at = 0;
            }
            if (otherAt == b.length()) {
                j++;
                otherAt = 0;
            }
        }
        checkAll(); // empty parts were never compared: they still must be live, as Slice's must
        other.checkAll();
        return true;
    }

    /** Throws if any part was released: contentEquals throws on the same inputs whatever it finds first. */
    private void checkAll() {
        for (Slice part : parts) {
            part.checkAccessible();
        }
    }

    /**
     * A short description, not the content: the total length and the number of parts.
     *
     * @return for example {@code CompositeSlice[length=1234, parts=3]}
     */
    @Override
    public String toString() {
        return "CompositeSlice[length=" + length + ", parts=" + parts.length + "]";
    }
}
