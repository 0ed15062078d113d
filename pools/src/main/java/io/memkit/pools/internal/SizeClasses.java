package io.memkit.pools.internal;

/**
 * The size classes of {@code BufferPool}: which block serves a request, how blocks are grouped into
 * slabs and how many a magazine caches.
 *
 * <p>Classes are multiples of 16 bytes up to 256 bytes (classes 0..15), then 8 classes per
 * doubling: a request {@code c} in {@code (2^k, 2^(k+1)]}, {@code k >= 8}, is rounded up to a
 * multiple of {@code 2^(k-3)}. The block is therefore less than {@code c + c/8}: internal waste is
 * under 12.5% for every request above 256 bytes, and at most 15 bytes below. In short:
 * {@code blockSize(classOf(c)) <= max(256, c * 9 / 8)} for every {@code c} in
 * {@code [0, MAX_CAPACITY]}. Capacity 0 is served by class 0 (16 bytes).
 *
 * <p>Pure arithmetic: no state, thread-safe.
 */
public final class SizeClasses {

    /** The largest capacity size classes can serve: 1 GiB. */
    public static final int MAX_CAPACITY = 1 << 30;
    /** Classes of 16-byte steps, up to 256 bytes. */
    static final int SMALL_CLASSES = 16;
    /** Size classes per doubling above 256 bytes. */
    static final int PER_DOUBLING = 8;
    /**
     * Slabs hold up to this many bytes, unless one block is larger. Small, so that one live lease
     * pins little idle memory (a slab is freed only when all its blocks are idle) at the cost of one
     * {@code allocateDirect} per 64 KiB carved.
     */
    static final int SLAB_TARGET = 64 * 1024;
    /** At most this many blocks per slab (bounds the metadata of tiny classes). */
    static final int MAX_BLOCKS_PER_SLAB = 256;
    /** A magazine half holds up to this many bytes of blocks. */
    static final int MAGAZINE_TARGET = 32 * 1024;
    /** At most this many blocks per magazine half. */
    static final int MAX_MAGAZINE = 32;

    private SizeClasses() {
    }

    /**
     * The class serving a request.
     *
     * @param capacity bytes asked, in {@code [0, MAX_CAPACITY]} (not checked)
     * @return the class index, {@code >= 0}
     */
    public static int classOf(int capacity) {
        if (capacity <= 256) {
            return capacity == 0 ? 0 : (capacity - 1) >>> 4;
        }
        // 2^k < capacity <= 2^(k+1); (capacity - 1) >>> (k - 3) is then in [8, 16).
        int k = 31 - Integer.numberOfLeadingZeros(capacity - 1);
        int sub = ((capacity - 1) >>> (k - 3)) - PER_DOUBLING;
        return SMALL_CLASSES + (k - 8) * PER_DOUBLING + sub;
    }

    /**
     * The block size of a class: the bytes reserved for each request it serves.
     *
     * @param sizeClass a class index from {@link #classOf(int)}
     * @return bytes, a multiple of 16
     */
    public static int blockSize(int sizeClass) {
        if (sizeClass < SMALL_CLASSES) {
            return (sizeClass + 1) << 4;
        }
        int k = 8 + (sizeClass - SMALL_CLASSES) / PER_DOUBLING;
        int sub = (sizeClass - SMALL_CLASSES) % PER_DOUBLING;
        return (1 << k) + ((sub + 1) << (k - 3));
    }

    /**
     * How many blocks a full slab of this block size holds: about {@link #SLAB_TARGET} bytes,
     * 1 to {@link #MAX_BLOCKS_PER_SLAB} blocks. Small slabs keep idle memory easy to trim.
     *
     * @param blockSize a block size
     * @return blocks per slab, {@code >= 1}
     */
    static int blocksPerSlab(int blockSize) {
        return Math.max(1, Math.min(MAX_BLOCKS_PER_SLAB, SLAB_TARGET / blockSize));
    }

    /**
     * How many blocks move between a stripe and the depot at once (half a stripe's magazine):
     * about {@link #MAGAZINE_TARGET} bytes, 1 to {@link #MAX_MAGAZINE} blocks.
     *
     * @param blockSize a block size
     * @return blocks per magazine half, {@code >= 1}
     */
    static int magazineHalf(int blockSize) {
        return Math.max(1, Math.min(MAX_MAGAZINE, MAGAZINE_TARGET / blockSize));
    }
}
