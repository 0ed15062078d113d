package io.memkit.buffers;

import io.memkit.buffers.internal.SliceAccess;
import io.memkit.buffers.internal.SliceCounters;
import io.memkit.buffers.internal.SliceOwner;
import io.memkit.buffers.internal.UnpooledOwner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Objects;

/**
 * A zero-copy, bounds-checked window on bytes: a heap array, a direct {@link ByteBuffer}, or
 * memory leased from a pool. Indices are absolute within the window (0 to {@link #length()}
 * exclusive); there is no position or limit to manage.
 *
 * <p><b>Cost.</b> A Slice holds only its owner, an offset and a length: 24 bytes on a 64-bit JVM
 * with compressed references (the default below 32 GiB of heap). {@link #slice(int, int)} and
 * {@link #asReadOnly()} are O(1) and copy nothing. Methods that copy say so and are counted in
 * {@link #stats()}.
 *
 * <p><b>Lifetime.</b> A Slice over pooled memory lives as long as the lease it came from. After
 * the lease is released, every method that touches the bytes throws
 * {@link IllegalStateException} naming the lease, forever, even after the same memory was leased
 * again: a stale Slice never reads or writes the next owner's bytes through a use ordered after
 * the release (same thread, or any happens-before edge). A read racing with a release on another
 * thread is a bug in the caller; memkit still guarantees that such a read either returns bytes of
 * the released lease or throws: each read loads its bytes, then re-checks the lease with a load
 * ordered after the data load (by an address dependency, or a fence for bulk reads), so it cannot
 * return bytes that the next owner wrote after the handoff. A write racing with a release checks
 * the lease before it stores and may land in the next owner's memory if the release is not yet
 * visible to it. Slices made by {@link #wrap} never expire, and their
 * reads skip the re-check.
 *
 * <p><b>Speed.</b> A read costs what {@link ByteBuffer#getInt(int)} costs plus the window check,
 * two dependent loads (owner, then its memory) and, over a lease, the re-check. In a loop the JIT
 * hoists all but the re-check, so a loop of reads over a wrapped window runs as fast as the
 * buffer's; a lone read, where nothing can be hoisted, pays the extra loads
 * ({@code SliceGetIntBenchmark} measures both).
 *
 * <p><b>Read-only.</b> Slices of a read-only {@code ByteBuffer}, and those returned by
 * {@link #asReadOnly()}, throw {@link ReadOnlyBufferException} from every {@code put} method, as
 * do all Slices sliced from them.
 *
 * <p><b>Thread-safety.</b> A Slice is immutable and may be shared between threads. Its bytes are
 * not: concurrent writes, or a write concurrent with a read, of the same bytes need the caller's
 * synchronization, exactly as for a {@code byte[]}.
 *
 * <p><b>Equality.</b> {@link #equals(Object)} and {@link #hashCode()} compare content, like
 * {@link ByteBuffer}; a Slice's hash changes if its bytes do. <b>A released Slice has no content:
 * it is equal only to itself and its hash is {@link System#identityHashCode(Object)}</b>, so
 * neither ever throws and a hash map holding a pooled Slice as a key keeps working for its other
 * keys after the lease is released. The released key itself can then no longer be found by a
 * lookup (its hash changed): remove such entries before releasing the lease, or key maps with a
 * copy. {@link #compareTo(Slice)} has no such meaning to fall back on and throws
 * {@link IllegalStateException} once either lease is released.
 */
public final class Slice implements Comparable<Slice> {

    /** Bit 31 of {@link #offsetAndFlags}: puts throw. Offsets are below 2^31, so the bit is free. */
    private static final int READ_ONLY = 0x8000_0000;
    private static final int OFFSET_MASK = 0x7FFF_FFFF;

    private static final Slice EMPTY =
            new Slice(new UnpooledOwner(ByteBuffer.wrap(new byte[0])), 0, 0, false);

    static {
        SliceAccess.install(Slice::create);
    }

    /** The memory and its lifetime. */
    private final SliceOwner owner;
    /** First byte in the owner's memory (bits 0-30), and {@link #READ_ONLY} (bit 31). */
    private final int offsetAndFlags;
    /** Number of bytes in the window. */
    private final int length;

    private Slice(SliceOwner owner, int offset, int length, boolean readOnly) {
        this.owner = owner;
        this.offsetAndFlags = readOnly ? offset | READ_ONLY : offset;
        this.length = length;
    }

    /** The factory behind {@link SliceAccess}: a counted view made by a pool. */
    private static Slice create(SliceOwner owner, int offset, int length, boolean readOnly) {
        SliceCounters.view(owner, length);
        return new Slice(owner, offset, length, readOnly || owner.memory().isReadOnly());
    }

    // ---------------------------------------------------------------- factories

    /**
     * A writable view of the whole array. O(1), no copy: writes through the Slice change the
     * array and vice versa. The Slice never expires.
     *
     * @param array the bytes
     * @return a Slice of {@code array.length} bytes
     * @throws NullPointerException if {@code array} is {@code null}
     */
    public static Slice wrap(byte[] array) {
        Objects.requireNonNull(array, "array must not be null");
        return wrap(array, 0, array.length);
    }

    /**
     * A writable view of {@code array[offset, offset + length)}. O(1), no copy. The Slice never
     * expires.
     *
     * @param array  the bytes
     * @param offset index in {@code array} of the Slice's byte 0
     * @param length number of bytes
     * @return the view
     * @throws NullPointerException      if {@code array} is {@code null}
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public static Slice wrap(byte[] array, int offset, int length) {
        Objects.requireNonNull(array, "array must not be null");
        Objects.checkFromIndexSize(offset, length, array.length);
        UnpooledOwner owner = new UnpooledOwner(ByteBuffer.wrap(array));
        SliceCounters.view(owner, length);
        return new Slice(owner, offset, length, false);
    }

    /**
     * A view of {@code buffer}'s bytes from its position to its limit, as they are now; later
     * changes to the buffer's position and limit do not move the Slice. O(1), no copy; heap or
     * direct. The Slice is read-only if and only if the buffer is. The buffer itself is not
     * modified; the Slice keeps it reachable and never expires.
     *
     * @param buffer the buffer
     * @return a view of its {@code remaining()} bytes
     * @throws NullPointerException if {@code buffer} is {@code null}
     */
    public static Slice wrap(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer must not be null");
        int position = buffer.position();
        int length = buffer.limit() - position;
        UnpooledOwner owner = new UnpooledOwner(buffer.duplicate());
        SliceCounters.view(owner, length);
        return new Slice(owner, position, length, buffer.isReadOnly());
    }

    /**
     * A writable Slice over a fresh copy of {@code array}. Counted as a copy in {@link #stats()}.
     *
     * @param array the bytes to copy
     * @return a Slice of {@code array.length} bytes that shares nothing with {@code array}
     * @throws NullPointerException if {@code array} is {@code null}
     */
    public static Slice copyOf(byte[] array) {
        Objects.requireNonNull(array, "array must not be null");
        byte[] copy = array.clone();
        SliceCounters.copy(copy.length);
        return new Slice(new UnpooledOwner(ByteBuffer.wrap(copy)), 0, copy.length, false);
    }

    /**
     * The empty Slice (length 0). Writable in name only: it has no bytes to write.
     *
     * @return the shared empty Slice
     */
    public static Slice empty() {
        return EMPTY;
    }

    /**
     * JVM-wide counters of views handed out and bytes copied by memkit. On one thread the counts
     * are exact; under concurrency a few increments may be lost (see {@link SliceStats}). All
     * zeros when counting is off ({@code -Dio.memkit.slice.stats=false}).
     *
     * @return a snapshot; O(stripes), allocation of one record
     */
    public static SliceStats stats() {
        long[] s = SliceCounters.snapshot();
        return new SliceStats(s[0], s[1], s[2], s[3]);
    }

    // ---------------------------------------------------------------- window

    /**
     * The number of bytes in this window. Never checks the lifetime.
     *
     * @return the length, 0 or more
     */
    public int length() {
        return length;
    }

    /**
     * Tells whether the {@code put} methods throw {@link ReadOnlyBufferException}.
     *
     * @return {@code true} for read-only Slices
     */
    public boolean isReadOnly() {
        return offsetAndFlags < 0;
    }

    /**
     * Tells whether the memory may still be used: {@code false} once the lease this Slice was
     * made from is released (an acquire load). Slices from {@link #wrap} are always accessible.
     *
     * @return {@code false} if every access would throw {@link IllegalStateException}
     */
    public boolean isAccessible() {
        return owner.isAccessible();
    }

    /**
     * A view of {@code length} bytes of this Slice from {@code index}: same memory, same lifetime,
     * same read-only flag. O(1), no copy; counted as a view in {@link #stats()}.
     *
     * @param index  first byte, in this window
     * @param length number of bytes
     * @return the view
     * @throws IndexOutOfBoundsException if {@code [index, index + length)} is not inside this window
     * @throws IllegalStateException     if the memory was released
     */
    public Slice slice(int index, int length) {
        int at = range(index, length);
        SliceOwner o = owner;
        CheckedMemory.live(o);
        SliceCounters.view(o, length);
        return new Slice(o, at, length, offsetAndFlags < 0);
    }

    /**
     * A read-only view of the same bytes, with the same lifetime. O(1), no copy.
     *
     * @return this Slice if it is read-only already, else a new read-only view (counted)
     * @throws IllegalStateException if the memory was released
     */
    public Slice asReadOnly() {
        SliceOwner o = owner;
        CheckedMemory.live(o);
        if (offsetAndFlags < 0) {
            return this;
        }
        SliceCounters.view(o, length);
        return new Slice(o, offsetAndFlags, length, true);
    }

    /**
     * A new {@link ByteBuffer} view of this window: position 0, limit and capacity
     * {@link #length()}, big-endian, read-only if this Slice is. O(1), no copy; allocates the
     * buffer object.
     *
     * <p>The buffer escapes memkit's checks: it stays usable after the lease is released and then
     * reads and writes whatever owns the memory next. Pools therefore never reclaim a leaked
     * lease whose memory was viewed this way. Prefer the Slice methods, {@link #copyTo} or
     * {@link #writeTo}, which stay checked.
     *
     * @return the view
     * @throws IllegalStateException if the memory was released
     */
    public ByteBuffer asByteBuffer() {
        SliceOwner o = owner;
        CheckedMemory.live(o);
        o.rawViewEscaped();
        return internalView();
    }

    // ---------------------------------------------------------------- getters

    /**
     * The byte at {@code index}.
     *
     * @param index in this window
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException     if the memory was released
     */
    public byte getByte(int index) {
        return CheckedMemory.getByte(owner, at(index, Byte.BYTES));
    }

    /**
     * The byte at {@code index} as an unsigned value.
     *
     * @param index in this window
     * @return the byte, 0 to 255
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException     if the memory was released
     */
    public int getUnsignedByte(int index) {
        return getByte(index) & 0xFF;
    }

    /**
     * The big-endian {@code short} at {@code index}.
     *
     * @param index of the first of its 2 bytes, in this window
     * @return the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 2)} is not inside this window
     * @throws IllegalStateException     if the memory was released
     */
    public short getShort(int index) {
        return CheckedMemory.getShort(owner, at(index, Short.BYTES));
    }

    /**
     * The little-endian {@code short} at {@code index}.
     *
     * @param index of the first of its 2 bytes, in this window
     * @return the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 2)} is not inside this window
     * @throws IllegalStateException     if the memory was released
     */
    public short getShortLE(int index) {
        return Short.reverseBytes(getShort(index));
    }

    /**
     * The big-endian {@code int} at {@code index}. About the cost of {@link ByteBuffer#getInt(int)}:
     * one window check, one load, one lifetime check.
     *
     * @param index of the first of its 4 bytes, in this window
     * @return the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 4)} is not inside this window
     * @throws IllegalStateException     if the memory was released
     */
    public int getInt(int index) {
        return CheckedMemory.getInt(owner, at(index, Integer.BYTES));
    }

    /**
     * The little-endian {@code int} at {@code index}.
     *
     * @param index of the first of its 4 bytes, in this window
     * @return the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 4)} is not inside this window
     * @throws IllegalStateException     if the memory was released
     */
    public int getIntLE(int index) {
        return Integer.reverseBytes(getInt(index));
    }

    /**
     * The big-endian {@code long} at {@code index}.
     *
     * @param index of the first of its 8 bytes, in this window
     * @return the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 8)} is not inside this window
     * @throws IllegalStateException     if the memory was released
     */
    public long getLong(int index) {
        return CheckedMemory.getLong(owner, at(index, Long.BYTES));
    }

    /**
     * The little-endian {@code long} at {@code index}.
     *
     * @param index of the first of its 8 bytes, in this window
     * @return the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 8)} is not inside this window
     * @throws IllegalStateException     if the memory was released
     */
    public long getLongLE(int index) {
        return Long.reverseBytes(getLong(index));
    }

    // ---------------------------------------------------------------- putters

    /**
     * Stores {@code value} at {@code index}.
     *
     * @param index in this window
     * @param value the byte
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws ReadOnlyBufferException   if this Slice is read-only
     * @throws IllegalStateException     if the memory was released
     */
    public void putByte(int index, byte value) {
        SliceOwner o = writable();
        CheckedMemory.putByte(o, at(index, Byte.BYTES), value);
    }

    /**
     * Stores {@code value} big-endian at {@code index}.
     *
     * @param index of the first of its 2 bytes, in this window
     * @param value the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 2)} is not inside this window
     * @throws ReadOnlyBufferException   if this Slice is read-only
     * @throws IllegalStateException     if the memory was released
     */
    public void putShort(int index, short value) {
        SliceOwner o = writable();
        CheckedMemory.putShort(o, at(index, Short.BYTES), value);
    }

    /**
     * Stores {@code value} little-endian at {@code index}.
     *
     * @param index of the first of its 2 bytes, in this window
     * @param value the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 2)} is not inside this window
     * @throws ReadOnlyBufferException   if this Slice is read-only
     * @throws IllegalStateException     if the memory was released
     */
    public void putShortLE(int index, short value) {
        putShort(index, Short.reverseBytes(value));
    }

    /**
     * Stores {@code value} big-endian at {@code index}.
     *
     * @param index of the first of its 4 bytes, in this window
     * @param value the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 4)} is not inside this window
     * @throws ReadOnlyBufferException   if this Slice is read-only
     * @throws IllegalStateException     if the memory was released
     */
    public void putInt(int index, int value) {
        SliceOwner o = writable();
        CheckedMemory.putInt(o, at(index, Integer.BYTES), value);
    }

    /**
     * Stores {@code value} little-endian at {@code index}.
     *
     * @param index of the first of its 4 bytes, in this window
     * @param value the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 4)} is not inside this window
     * @throws ReadOnlyBufferException   if this Slice is read-only
     * @throws IllegalStateException     if the memory was released
     */
    public void putIntLE(int index, int value) {
        putInt(index, Integer.reverseBytes(value));
    }

    /**
     * Stores {@code value} big-endian at {@code index}.
     *
     * @param index of the first of its 8 bytes, in this window
     * @param value the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 8)} is not inside this window
     * @throws ReadOnlyBufferException   if this Slice is read-only
     * @throws IllegalStateException     if the memory was released
     */
    public void putLong(int index, long value) {
        SliceOwner o = writable();
        CheckedMemory.putLong(o, at(index, Long.BYTES), value);
    }

    /**
     * Stores {@code value} little-endian at {@code index}.
     *
     * @param index of the first of its 8 bytes, in this window
     * @param value the value
     * @throws IndexOutOfBoundsException if {@code [index, index + 8)} is not inside this window
     * @throws ReadOnlyBufferException   if this Slice is read-only
     * @throws IllegalStateException     if the memory was released
     */
    public void putLongLE(int index, long value) {
        putLong(index, Long.reverseBytes(value));
    }

    /**
     * Copies all of {@code src} into this window from {@code index}. Overlapping windows of the
     * same memory are handled as if through a temporary copy. Counted as a copy in {@link #stats()}.
     * If {@code src}'s memory turns out to have been released during the copy, the copied range
     * is zeroed before the exception, so it never keeps bytes of the memory's next owner.
     *
     * @param index where the first byte of {@code src} goes, in this window
     * @param src   the bytes to copy
     * @throws NullPointerException      if {@code src} is {@code null}
     * @throws IndexOutOfBoundsException if {@code [index, index + src.length())} is not inside this window
     * @throws ReadOnlyBufferException   if this Slice is read-only
     * @throws IllegalStateException     if either Slice's memory was released
     */
    public void putBytes(int index, Slice src) {
        Objects.requireNonNull(src, "src must not be null");
        SliceOwner o = writable();
        int n = src.length;
        int at = range(index, n);
        SliceOwner so = src.owner;
        CheckedMemory.live(so);
        CheckedMemory.copy(so, src.offsetAndFlags & OFFSET_MASK, o, at, n);
        SliceCounters.copy(n);
    }

    // ---------------------------------------------------------------- search and comparison

    /**
     * The first index at or after {@code fromIndex} holding {@code value}. O(length).
     *
     * @param value     the byte to look for
     * @param fromIndex where to start, in {@code [0, length()]}
     * @return its index in this window, or -1 if absent
     * @throws IndexOutOfBoundsException if {@code fromIndex} is not in {@code [0, length()]}
     * @throws IllegalStateException     if the memory was released
     */
    public int indexOf(byte value, int fromIndex) {
        if (fromIndex < 0 || fromIndex > length) {
            throw outOfWindow(fromIndex, 0);
        }
        return CheckedMemory.indexOf(owner, offsetAndFlags & OFFSET_MASK, fromIndex, length, value);
    }

    /**
     * Tells whether {@code other} has the same length and bytes. O(length), no allocation.
     *
     * @param other the Slice to compare with
     * @return {@code true} if the contents are equal
     * @throws NullPointerException  if {@code other} is {@code null}
     * @throws IllegalStateException if either Slice's memory was released
     */
    public boolean contentEquals(Slice other) {
        Objects.requireNonNull(other, "other must not be null");
        if (other.length != length) {
            CheckedMemory.live(owner);
            CheckedMemory.live(other.owner);
            return false;
        }
        return compareRanges(this, 0, length, other, 0, other.length) == 0;
    }

    /**
     * Compares content: {@code true} if {@code o} is this Slice, or a Slice with the same length
     * and bytes, whatever their memory, offsets or read-only flags. O(length), no allocation.
     *
     * <p><b>After release.</b> A Slice whose lease was released is equal only to itself, and no
     * Slice is equal to it; this never throws (see the class comment on equality). A comparison
     * that races with a release on another thread answers either what the bytes of the released
     * lease gave or {@code false}, never what a later owner's bytes would give.
     *
     * @param o the object to compare with
     * @return whether the contents are equal, or {@code o == this}
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Slice)) {
            return false;
        }
        Slice other = (Slice) o;
        SliceOwner a = owner;
        SliceOwner b = other.owner;
        if (other.length != length || !a.isAccessible() || !b.isAccessible()) {
            return false;
        }
        return CheckedMemory.equalWhileLive(a, offsetAndFlags & OFFSET_MASK,
                b, other.offsetAndFlags & OFFSET_MASK, length);
    }

    /**
     * A hash of the content, consistent with {@link #equals(Object)}: the value
     * {@link Arrays#hashCode(byte[])} gives for {@link #toByteArray()}. O(length); it changes when
     * the bytes do, so don't mutate a Slice used as a map key.
     *
     * <p><b>After release.</b> {@link System#identityHashCode(Object)} of this Slice, as
     * {@link #equals(Object)} then compares identity; this never throws. A hash that races with a
     * release on another thread is either the content hash of the released lease's bytes or the
     * identity hash.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        long h = CheckedMemory.hashWhileLive(owner, offsetAndFlags & OFFSET_MASK, length);
        return h >= 0 ? (int) h : System.identityHashCode(this);
    }

    /**
     * Compares content in unsigned lexicographic order: the first differing byte decides, as
     * values 0 to 255; if one Slice is a prefix of the other, the shorter comes first.
     * O(length), no allocation.
     *
     * @param other the Slice to compare with
     * @return negative, zero or positive as this Slice sorts before, with or after {@code other}
     * @throws NullPointerException  if {@code other} is {@code null}
     * @throws IllegalStateException if either Slice's memory was released
     */
    @Override
    public int compareTo(Slice other) {
        Objects.requireNonNull(other, "other must not be null");
        return compareRanges(this, 0, length, other, 0, other.length);
    }

    /**
     * Compares {@code a[aIndex, aIndex + aLength)} with {@code b[bIndex, bIndex + bLength)} in
     * unsigned lexicographic order, then re-checks both lifetimes. The ranges must already be
     * inside the windows.
     */
    static int compareRanges(Slice a, int aIndex, int aLength, Slice b, int bIndex, int bLength) {
        return CheckedMemory.compare(a.owner, (a.offsetAndFlags & OFFSET_MASK) + aIndex, aLength,
                b.owner, (b.offsetAndFlags & OFFSET_MASK) + bIndex, bLength);
    }

    // ---------------------------------------------------------------- text

    /**
     * Decodes the bytes as {@code charset}; malformed input becomes the replacement character.
     * Over a heap array it allocates only the String ({@code new String(array, offset, length,
     * charset)}); over direct or read-only memory it decodes from a {@link ByteBuffer} view with
     * the charset's decoder, which also allocates that view and the decoder's char buffer.
     *
     * @param charset the encoding
     * @return the text
     * @throws NullPointerException  if {@code charset} is {@code null}
     * @throws IllegalStateException if the memory was released
     */
    public String toString(Charset charset) {
        Objects.requireNonNull(charset, "charset must not be null");
        SliceOwner o = owner;
        CheckedMemory.live(o); // a decoder over released memory could fail on the next owner's bytes
        return CheckedMemory.decode(o, offsetAndFlags & OFFSET_MASK, length, charset);
    }

    /**
     * A short description for logs, not the content: length, offset, flags and the owner, for
     * example {@code Slice[length=12, offset=4, read-only, wrapped byte[] of 64 bytes]}. Never
     * throws, also after release.
     *
     * @return the description
     */
    @Override
    public String toString() {
        SliceOwner o = owner;
        return "Slice[length=" + length + ", offset=" + (offsetAndFlags & OFFSET_MASK)
                + (offsetAndFlags < 0 ? ", read-only" : "")
                + (o.isAccessible() ? "" : ", released")
                + ", " + o.describe() + "]";
    }

    // ---------------------------------------------------------------- copies and output

    /**
     * A new array with the bytes. Counted as a copy in {@link #stats()}.
     *
     * @return a copy of {@link #length()} bytes
     * @throws IllegalStateException if the memory was released
     */
    public byte[] toByteArray() {
        byte[] copy = new byte[length];
        copyTo(copy, 0);
        return copy;
    }

    /**
     * Copies the bytes into {@code dst} from {@code dstOffset}. Counted as a copy in {@link #stats()}.
     *
     * @param dst       the destination
     * @param dstOffset where the first byte goes
     * @throws NullPointerException      if {@code dst} is {@code null}
     * @throws IndexOutOfBoundsException if {@code [dstOffset, dstOffset + length())} is not inside {@code dst}
     * @throws IllegalStateException     if the memory was released
     */
    public void copyTo(byte[] dst, int dstOffset) {
        Objects.requireNonNull(dst, "dst must not be null");
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        copyInto(dst, dstOffset);
        SliceCounters.copy(length);
    }

    /** Copies the window into {@code dst} from {@code dstOffset}, already checked; not counted. */
    void copyInto(byte[] dst, int dstOffset) {
        CheckedMemory.copy(owner, offsetAndFlags & OFFSET_MASK, dst, dstOffset, length);
    }

    /**
     * Copies the bytes into {@code dst} at its position and advances the position by
     * {@link #length()}. Counted as a copy in {@link #stats()}.
     *
     * @param dst the destination
     * @throws NullPointerException      if {@code dst} is {@code null}
     * @throws ReadOnlyBufferException   if {@code dst} is read-only
     * @throws IndexOutOfBoundsException if {@code dst.remaining() < length()}
     * @throws IllegalStateException     if the memory was released
     */
    public void copyTo(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst must not be null");
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int p = dst.position();
        if (dst.limit() - p < length) {
            throw new IndexOutOfBoundsException("dst has " + (dst.limit() - p) + " bytes remaining, "
                    + length + " needed");
        }
        CheckedMemory.copy(owner, offsetAndFlags & OFFSET_MASK, dst, p, length);
        dst.position(p + length);
        SliceCounters.copy(length);
    }

    /**
     * Writes all bytes to {@code channel}, calling {@code write} again after partial writes.
     * No intermediate copy: the channel reads a {@link ByteBuffer} view of the memory, which it
     * must not keep after the call (as no {@link WritableByteChannel} does). On a non-blocking
     * channel that accepts nothing, this spins until it does. The lifetime is checked before
     * each write and again after each, so a release while the channel reads the bytes (for
     * example from the channel's own code) makes this throw rather than report success.
     *
     * @param channel where to write
     * @return the number of bytes written, always {@link #length()}
     * @throws NullPointerException  if {@code channel} is {@code null}
     * @throws IOException           if the channel fails; some bytes may have been written
     * @throws IllegalStateException if the memory was released
     */
    public int writeTo(WritableByteChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel must not be null");
        SliceOwner o = owner;
        CheckedMemory.live(o);
        ByteBuffer view = CheckedMemory.view(o, offsetAndFlags & OFFSET_MASK, length, offsetAndFlags < 0);
        while (view.hasRemaining()) {
            if (channel.write(view) == 0) {
                Thread.onSpinWait();
            }
            CheckedMemory.afterLoads(o);
        }
        return length;
    }

    // ---------------------------------------------------------------- package-private, for CompositeSlice

    /** An unchecked, uncounted view for internal gathering writes; the caller checks the lifetime. */
    ByteBuffer internalView() {
        return CheckedMemory.view(owner, offsetAndFlags & OFFSET_MASK, length, offsetAndFlags < 0);
    }

    /** Throws if the memory was released (acquire load): the check before a write or a view. */
    void checkAccessible() {
        CheckedMemory.live(owner);
    }

    /** Throws if the memory was released, ordered after every earlier load: the check after a channel read it. */
    void checkAfterLoads() {
        CheckedMemory.afterLoads(owner);
    }

    /** The byte at {@code index}, already bounds-checked by the caller; re-checks the lifetime. */
    byte getByteUnchecked(int index) {
        return CheckedMemory.getByte(owner, (offsetAndFlags & OFFSET_MASK) + index);
    }

    // ---------------------------------------------------------------- internals

    /** The owner, after checking that puts are allowed and the memory is live (acquire load). */
    private SliceOwner writable() {
        if (offsetAndFlags < 0) {
            throw new ReadOnlyBufferException();
        }
        SliceOwner o = owner;
        CheckedMemory.live(o);
        return o;
    }

    /** The owner's index of {@code index}, after checking that {@code size} bytes fit in the window. */
    private int at(int index, int size) {
        try {
            // Objects.checkIndex is a JIT intrinsic: in loops the JIT can hoist it (range check
            // elimination), which a hand-written comparison does not get. length - size + 1 may be
            // negative (window shorter than size): checkIndex then throws for every index.
            Objects.checkIndex(index, length - size + 1);
        } catch (IndexOutOfBoundsException e) {
            throw outOfWindow(index, size); // the same failure, with the window in the message
        }
        return (offsetAndFlags & OFFSET_MASK) + index;
    }

    /** As {@link #at}, for a caller-given size that may be negative or huge. */
    private int range(int index, int size) {
        if (index < 0 || size < 0 || index > length - size) { // length - size: both >= 0, no overflow
            throw outOfWindow(index, size);
        }
        return (offsetAndFlags & OFFSET_MASK) + index;
    }

    private IndexOutOfBoundsException outOfWindow(int index, int size) {
        return new IndexOutOfBoundsException("index " + index + ", length " + size
                + " out of bounds for window of " + length + " bytes (at offset "
                + (offsetAndFlags & OFFSET_MASK) + " of " + owner.describe() + ")");
    }
}
