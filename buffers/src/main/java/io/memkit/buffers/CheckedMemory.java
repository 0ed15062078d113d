package io.memkit.buffers;

import io.memkit.buffers.internal.SliceOwner;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * The only code that touches the memory behind {@link Slice} and {@link CompositeSlice}, so that
 * no read path can forget the lifetime check.
 *
 * <p>Every read loads first and re-checks the owner's lifetime after the load, with the re-check
 * ordered after the data load (an address dependency for single values, a LoadLoad fence for bulk
 * reads; see {@link SliceOwner}), and throws {@link IllegalStateException} instead of returning
 * what it loaded from memory that was released meanwhile. A bulk read into caller memory wipes
 * what it copied before it throws, so no byte of a later owner is left behind. Writes store only;
 * their callers check the lifetime first ({@link Slice}'s {@code writable()}).
 *
 * <p>Indices are absolute in the owner's memory and already checked by the caller. Stateless.
 */
final class CheckedMemory {

    // Big-endian only; little-endian is the caller's reverseBytes. A writable heap array is read
    // through an array view, which measured faster than a buffer view of the same array; all other
    // memory (direct, read-only) through a buffer view, which unlike a call of the buffer's getInt
    // is no virtual call, so mixing kinds of memory never makes the call site megamorphic.
    private static final VarHandle SHORT_ARRAY =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_ARRAY =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_ARRAY =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT =
            MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private CheckedMemory() {
    }

    // ---------------------------------------------------------------- single values

    static byte getByte(SliceOwner o, int at) {
        byte[] a = o.heapArray();
        byte v = a != null ? a[o.heapArrayOffset() + at] : o.memory().get(at);
        return (byte) loaded(o, v);
    }

    static short getShort(SliceOwner o, int at) {
        byte[] a = o.heapArray();
        short v = a != null ? (short) SHORT_ARRAY.get(a, o.heapArrayOffset() + at) : (short) SHORT.get(o.memory(), at);
        return (short) loaded(o, v);
    }

    static int getInt(SliceOwner o, int at) {
        byte[] a = o.heapArray();
        int v = a != null ? (int) INT_ARRAY.get(a, o.heapArrayOffset() + at) : (int) INT.get(o.memory(), at);
        return loaded(o, v);
    }

    static long getLong(SliceOwner o, int at) {
        byte[] a = o.heapArray();
        long v = a != null ? (long) LONG_ARRAY.get(a, o.heapArrayOffset() + at) : (long) LONG.get(o.memory(), at);
        return loaded(o, v);
    }

    static void putByte(SliceOwner o, int at, byte v) {
        byte[] a = o.heapArray();
        if (a != null) {
            a[o.heapArrayOffset() + at] = v;
        } else {
            o.memory().put(at, v);
        }
    }

    static void putShort(SliceOwner o, int at, short v) {
        byte[] a = o.heapArray();
        if (a != null) {
            SHORT_ARRAY.set(a, o.heapArrayOffset() + at, v);
        } else {
            SHORT.set(o.memory(), at, v);
        }
    }

    static void putInt(SliceOwner o, int at, int v) {
        byte[] a = o.heapArray();
        if (a != null) {
            INT_ARRAY.set(a, o.heapArrayOffset() + at, v);
        } else {
            INT.set(o.memory(), at, v);
        }
    }

    static void putLong(SliceOwner o, int at, long v) {
        byte[] a = o.heapArray();
        if (a != null) {
            LONG_ARRAY.set(a, o.heapArrayOffset() + at, v);
        } else {
            LONG.set(o.memory(), at, v);
        }
    }

    // ---------------------------------------------------------------- bulk reads

    /** Copies {@code n} bytes from {@code from} into {@code dst[dstOffset, +n)}. */
    static void copy(SliceOwner o, int from, byte[] dst, int dstOffset, int n) {
        byte[] a = o.heapArray();
        if (a != null) {
            System.arraycopy(a, o.heapArrayOffset() + from, dst, dstOffset, n);
        } else {
            o.memory().get(from, dst, dstOffset, n); // absolute: the buffer's state is unchanged
        }
        if (!o.isAccessibleAfterLoads()) {
            Arrays.fill(dst, dstOffset, dstOffset + n, (byte) 0);
            throw released(o);
        }
    }

    /** Copies {@code n} bytes from {@code from} into {@code dst} at absolute index {@code p}. */
    static void copy(SliceOwner o, int from, ByteBuffer dst, int p, int n) {
        byte[] a = o.heapArray();
        if (a != null) {
            dst.put(p, a, o.heapArrayOffset() + from, n);
        } else {
            dst.put(p, o.memory(), from, n);
        }
        if (!o.isAccessibleAfterLoads()) {
            wipe(dst, p, n);
            throw released(o);
        }
    }

    /**
     * Copies {@code n} bytes of {@code src} from {@code from} into {@code dst} at {@code to}, as if
     * through a temporary copy when the ranges overlap; {@code dst} was checked writable.
     */
    static void copy(SliceOwner src, int from, SliceOwner dst, int to, int n) {
        byte[] a = dst.heapArray();
        byte[] sa = src.heapArray();
        if (a != null && sa != null) {
            System.arraycopy(sa, src.heapArrayOffset() + from, a, dst.heapArrayOffset() + to, n);
        } else {
            dst.memory().put(to, src.memory(), from, n); // absolute: neither buffer's state changes
        }
        if (!src.isAccessibleAfterLoads()) {
            wipe(dst.memory(), to, n);
            throw released(src);
        }
    }

    /**
     * Compares {@code a[aFrom, aFrom + aLength)} with {@code b[bFrom, bFrom + bLength)} in unsigned
     * lexicographic order, then re-checks both lifetimes.
     */
    static int compare(SliceOwner a, int aFrom, int aLength, SliceOwner b, int bFrom, int bLength) {
        int result = rawCompare(a, aFrom, aLength, b, bFrom, bLength);
        afterLoads(a);
        afterLoads(b);
        return result;
    }

    /**
     * Whether {@code n} bytes from {@code aFrom} and from {@code bFrom} are equal and both owners
     * were still live after the loads; never throws for a released owner.
     */
    static boolean equalWhileLive(SliceOwner a, int aFrom, SliceOwner b, int bFrom, int n) {
        int result = rawCompare(a, aFrom, n, b, bFrom, n);
        // Both re-checks run whatever the bytes were: a released owner's answer is "not equal".
        boolean live = a.isAccessibleAfterLoads() & b.isAccessibleAfterLoads();
        return live && result == 0;
    }

    /** Unsigned lexicographic comparison, 8 bytes at a time (big-endian longs compare like their bytes); no lifetime check. */
    private static int rawCompare(SliceOwner a, int aFrom, int aLength, SliceOwner b, int bFrom, int bLength) {
        byte[] x = a.heapArray();
        byte[] y = b.heapArray();
        if (x != null && y != null) {
            int from = a.heapArrayOffset() + aFrom;
            int otherFrom = b.heapArrayOffset() + bFrom;
            return Arrays.compareUnsigned(x, from, from + aLength, y, otherFrom, otherFrom + bLength);
        }
        int n = Math.min(aLength, bLength);
        int i = 0;
        for (; i <= n - Long.BYTES; i += Long.BYTES) {
            long u = rawLong(a, aFrom + i);
            long v = rawLong(b, bFrom + i);
            if (u != v) {
                return Long.compareUnsigned(u, v);
            }
        }
        for (; i < n; i++) {
            int u = rawByte(a, aFrom + i) & 0xFF;
            int v = rawByte(b, bFrom + i) & 0xFF;
            if (u != v) {
                return u - v;
            }
        }
        return Integer.compare(aLength, bLength);
    }

    /**
     * {@code 31 * h + byte} over {@code n} bytes from {@code from}, starting at 1, as
     * {@link Arrays#hashCode(byte[])}, as an unsigned value; or -1 if the owner was released
     * before or during the loads. Never throws.
     */
    static long hashWhileLive(SliceOwner o, int from, int n) {
        if (!o.isAccessible()) {
            return -1;
        }
        int h = rawHash(o, from, n);
        return o.isAccessibleAfterLoads() ? h & 0xFFFF_FFFFL : -1;
    }

    /** {@code 31 * h + byte} over {@code n} bytes from {@code from}; no lifetime check. */
    private static int rawHash(SliceOwner o, int from, int n) {
        int h = 1;
        byte[] a = o.heapArray();
        if (a != null) {
            int start = o.heapArrayOffset() + from;
            for (int i = 0; i < n; i++) {
                h = 31 * h + a[start + i];
            }
        } else {
            ByteBuffer m = o.memory();
            for (int i = 0; i < n; i++) {
                h = 31 * h + m.get(from + i);
            }
        }
        return h;
    }

    /** The first {@code i} in {@code [start, end)} with byte {@code from + i} equal to {@code value}, or -1. */
    static int indexOf(SliceOwner o, int from, int start, int end, byte value) {
        int found = -1;
        byte[] a = o.heapArray();
        if (a != null) {
            int base = o.heapArrayOffset() + from;
            for (int i = start; i < end; i++) {
                if (a[base + i] == value) {
                    found = i;
                    break;
                }
            }
        } else {
            ByteBuffer m = o.memory();
            for (int i = start; i < end; i++) {
                if (m.get(from + i) == value) {
                    found = i;
                    break;
                }
            }
        }
        afterLoads(o);
        return found;
    }

    /** Decodes {@code n} bytes from {@code from}; malformed input becomes the replacement character. */
    static String decode(SliceOwner o, int from, int n, Charset charset) {
        byte[] a = o.heapArray();
        String s = a != null
                ? new String(a, o.heapArrayOffset() + from, n, charset)
                : charset.decode(o.memory().slice(from, n)).toString();
        afterLoads(o);
        return s;
    }

    // ---------------------------------------------------------------- reads by others

    /**
     * A new big-endian view of {@code n} bytes from {@code from} for a channel to read, read-only
     * if asked. The caller checks the lifetime before handing it on and calls
     * {@link #afterLoads(SliceOwner)} after the channel has read it.
     */
    static ByteBuffer view(SliceOwner o, int from, int n, boolean readOnly) {
        ByteBuffer v = o.memory().slice(from, n); // position 0, big-endian
        return readOnly && !v.isReadOnly() ? v.asReadOnlyBuffer() : v;
    }

    /** The re-check after a bulk read, by memkit or by a channel: throws if the memory was released. */
    static void afterLoads(SliceOwner o) {
        if (!o.isAccessibleAfterLoads()) {
            throw released(o);
        }
    }

    /** The check before handing out a view or storing (acquire load): throws if the memory was released. */
    static void live(SliceOwner o) {
        if (!o.isAccessible()) {
            throw released(o);
        }
    }

    static IllegalStateException released(SliceOwner o) {
        return new IllegalStateException("released: " + o.describe());
    }

    // ---------------------------------------------------------------- internals

    /** The re-check after loading {@code v}: its address depends on {@code v}, so it cannot run first. */
    private static int loaded(SliceOwner o, int v) {
        if (!o.isAccessibleAfterLoad(v)) {
            throw released(o);
        }
        return v;
    }

    private static long loaded(SliceOwner o, long v) {
        if (!o.isAccessibleAfterLoad(v)) {
            throw released(o);
        }
        return v;
    }

    private static void wipe(ByteBuffer b, int at, int n) {
        for (int i = 0; i < n; i++) {
            b.put(at + i, (byte) 0);
        }
    }

    private static byte rawByte(SliceOwner o, int at) {
        byte[] a = o.heapArray();
        return a != null ? a[o.heapArrayOffset() + at] : o.memory().get(at);
    }

    private static long rawLong(SliceOwner o, int at) {
        byte[] a = o.heapArray();
        return a != null ? (long) LONG_ARRAY.get(a, o.heapArrayOffset() + at) : (long) LONG.get(o.memory(), at);
    }
}
