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
 * <p>Cost: {@link #of} copies the references to the parts, never their bytes: a composite of up
 * to three parts holds them in fields (one 40-byte object, which the JIT can keep off the heap
 * where the composite does not escape, as in {@code CompositeSlice.of(a, b, c).writeTo(channel)}),
 * a larger one in an array.
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

    /** Parts held in fields rather than an array: a header, a body and a trailer fit. */
    private static final int FIELDS = 3;

    private static final CompositeSlice EMPTY = new CompositeSlice(0, null, null, null, null);

    /** The number of parts. */
    private final int count;
    /** Parts 0 to 2 when {@link #count} is at most {@link #FIELDS}, else {@code null}. */
    private final Slice p0;
    private final Slice p1;
    private final Slice p2;
    /** All parts when there are more than {@link #FIELDS}, else {@code null}. */
    private final Slice[] many;
    private final long length;

    private CompositeSlice(int count, Slice p0, Slice p1, Slice p2, Slice[] many) {
        this.count = count;
        this.p0 = p0;
        this.p1 = p1;
        this.p2 = p2;
        this.many = many;
        long total = 0;
        for (int k = 0; k < count; k++) {
            total += part(k).length();
        }
        this.length = total;
    }

    /** Part {@code k}, in {@code [0, count)}. */
    private Slice part(int k) {
        Slice[] m = many;
        if (m != null) {
            return m[k];
        }
        return k == 0 ? p0 : k == 1 ? p1 : p2;
    }

    /**
     * Concatenates {@code parts} in order. O(parts), no byte copy; the references are copied, so
     * later changes to the array do not affect the result.
     *
     * @param parts the slices; may be empty, and parts may be empty or repeated
     * @return the concatenation
     * @throws NullPointerException if {@code parts} or any part is {@code null}
     */
    public static CompositeSlice of(Slice... parts) {
        Objects.requireNonNull(parts, "parts must not be null");
        return make(parts, false);
    }

    /** A composite of {@code parts}, which it may keep if {@code fresh} (no one else holds the array). */
    private static CompositeSlice make(Slice[] parts, boolean fresh) {
        int n = parts.length;
        if (n == 0) {
            return EMPTY;
        }
        if (n <= FIELDS) {
            // Read at constant indices: where of() inlines, the JIT can then drop the varargs array.
            Slice a = nonNull(parts[0], 0, n);
            Slice b = n > 1 ? nonNull(parts[1], 1, n) : null;
            Slice c = n > 2 ? nonNull(parts[2], 2, n) : null;
            return new CompositeSlice(n, a, b, c, null);
        }
        Slice[] copy = fresh ? parts : parts.clone();
        for (int k = 0; k < n; k++) {
            nonNull(copy[k], k, n);
        }
        return new CompositeSlice(n, null, null, null, copy);
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
        return make(parts.toArray(new Slice[0]), true);
    }

    private static Slice nonNull(Slice part, int k, int n) {
        if (part == null) {
            throw new NullPointerException("part " + k + " of " + n + " is null");
        }
        return part;
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
        return many != null ? List.of(many) : count == 0 ? List.of() : count == 1 ? List.of(p0)
                : count == 2 ? List.of(p0, p1) : List.of(p0, p1, p2);
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
                    + length + " bytes in " + count + " parts");
        }
        // A linear scan: composites have a few parts, and a table of offsets would cost an array per of().
        long rest = index;
        int k = 0;
        while (rest >= part(k).length()) { // never past the last part: index < length
            rest -= part(k).length();
            k++;
        }
        return part(k).getByteUnchecked((int) rest);
    }

    /**
     * New {@link ByteBuffer} views of the parts, as {@link Slice#asByteBuffer()} makes them:
     * no copy, and the views escape memkit's lifetime checks.
     *
     * @return one buffer per part, each at position 0 with limit its part's length
     * @throws IllegalStateException if a part was released
     */
    public ByteBuffer[] asByteBuffers() {
        ByteBuffer[] views = new ByteBuffer[count];
        for (int k = 0; k < count; k++) {
            views[k] = part(k).asByteBuffer();
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
        int n = count;
        ByteBuffer[] views = new ByteBuffer[n];
        for (int k = 0; k < n; k++) {
            Slice part = part(k);
            part.checkAccessible();
            views[k] = part.internalView();
        }
        long remaining = length;
        if (remaining > 0) {
            // The first write offers the whole array and usually takes everything. Keeping this
            // method small lets the JIT inline it, and with an inlined channel keep the array and
            // this composite off the heap; partial writes continue out of line.
            remaining -= channel.write(views);
            checkAfterLoads(0);
            if (remaining > 0) {
                writeRest(channel, views, remaining);
            }
        }
        return length;
    }

    /** The rest of {@link #writeTo} after a partial first write: one gathering write per call, over the parts not yet written. */
    private void writeRest(GatheringByteChannel channel, ByteBuffer[] views, long remaining) throws IOException {
        int n = count;
        int first = 0;
        while (remaining > 0) {
            while (!views[first].hasRemaining()) {
                first++;
            }
            for (int k = first; k < n; k++) {
                part(k).checkAccessible();
            }
            long written = channel.write(views, first, n - first);
            if (written == 0) {
                Thread.onSpinWait();
            }
            remaining -= written;
            checkAfterLoads(first);
        }
    }

    /** The re-check after a channel read the views of the parts from {@code from} on. */
    private void checkAfterLoads(int from) {
        for (int k = from; k < count; k++) {
            part(k).checkAfterLoads();
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
        for (int k = 0; k < count; k++) {
            Slice part = part(k);
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
        int at = 0; // position in part k
        int otherAt = 0; // position in other's part j
        long left = length;
        while (left > 0) {
            Slice a = part(k);
            Slice b = other.part(j);
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
        for (int k = 0; k < count; k++) {
            part(k).checkAccessible();
        }
    }

    /**
     * A short description, not the content: the total length and the number of parts.
     *
     * @return for example {@code CompositeSlice[length=1234, parts=3]}
     */
    @Override
    public String toString() {
        return "CompositeSlice[length=" + length + ", parts=" + count + "]";
    }
}
