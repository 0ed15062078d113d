package io.memkit.buffers;

/**
 * The plain reference the Slice tests compare with: values of 1, 2, 4 or 8 bytes read from and
 * written to a {@code byte[]} one byte at a time, and the matching Slice getter or putter picked
 * by width and byte order, so every test drives the twelve accessors the same way.
 */
final class ByteModel {

    private ByteModel() {
    }

    /** The signed value of {@code width} bytes of {@code a} from {@code at}, in the given order. */
    static long read(byte[] a, int at, int width, boolean le) {
        long v = 0;
        for (int k = 0; k < width; k++) {
            v = (v << 8) | (a[at + (le ? width - 1 - k : k)] & 0xFF);
        }
        int unused = 64 - 8 * width;
        return (v << unused) >> unused; // sign-extended, as the getters return it
    }

    /** Stores the low {@code width} bytes of {@code value} into {@code a} from {@code at}, in the given order. */
    static void write(byte[] a, int at, int width, boolean le, long value) {
        for (int k = 0; k < width; k++) {
            int shift = 8 * (le ? k : width - 1 - k);
            a[at + k] = (byte) (value >>> shift);
        }
    }

    /** The Slice getter of {@code width} bytes and order {@code le}, sign-extended to a long. */
    static long get(Slice s, int width, int index, boolean le) {
        return switch (width) {
            case 1 -> s.getByte(index);
            case 2 -> le ? s.getShortLE(index) : s.getShort(index);
            case 4 -> le ? s.getIntLE(index) : s.getInt(index);
            default -> le ? s.getLongLE(index) : s.getLong(index);
        };
    }

    /** The Slice putter of {@code width} bytes and order {@code le}, given the low bytes of {@code value}. */
    static void put(Slice s, int width, int index, boolean le, long value) {
        switch (width) {
            case 1 -> s.putByte(index, (byte) value);
            case 2 -> {
                if (le) {
                    s.putShortLE(index, (short) value);
                } else {
                    s.putShort(index, (short) value);
                }
            }
            case 4 -> {
                if (le) {
                    s.putIntLE(index, (int) value);
                } else {
                    s.putInt(index, (int) value);
                }
            }
            default -> {
                if (le) {
                    s.putLongLE(index, value);
                } else {
                    s.putLong(index, value);
                }
            }
        }
    }
}
