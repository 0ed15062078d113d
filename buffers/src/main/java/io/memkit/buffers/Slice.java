package io.memkit.buffers;

import io.memkit.buffers.internal.SliceAccess;
import io.memkit.buffers.internal.SliceOwner;

/**
 * A zero-copy, bounds-checked window on bytes. (Skeleton: the full API lands with the buffers work.)
 */
public final class Slice {

    static {
        SliceAccess.install(Slice::new);
    }

    private static final Slice EMPTY = null;

    private final SliceOwner owner;
    private final int offset;
    private final int length;
    private final boolean readOnly;

    private Slice(SliceOwner owner, int offset, int length, boolean readOnly) {
        this.owner = owner;
        this.offset = offset;
        this.length = length;
        this.readOnly = readOnly;
    }

    /**
     * The empty slice.
     *
     * @return a slice of length 0
     */
    public static Slice empty() {
        return EMPTY;
    }

    /**
     * The number of bytes in this window.
     *
     * @return the length
     */
    public int length() {
        return length;
    }
}
