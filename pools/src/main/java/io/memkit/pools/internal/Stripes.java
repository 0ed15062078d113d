package io.memkit.pools.internal;

/**
 * Picks the stripe a thread uses in striped structures (magazines, slots, counters).
 *
 * <p>No thread-locals: the probe is derived from the thread's id, so it costs nothing to keep
 * per thread and stays bounded however many (virtual) threads come and go. Ids are mixed so that
 * consecutive ids spread over the stripes.
 */
public final class Stripes {

    /** Stripes per pool: a power of two at least twice the number of processors, at most 64. */
    public static final int COUNT = count(Runtime.getRuntime().availableProcessors());

    private Stripes() {
    }

    /**
     * The stripe of the calling thread, in {@code [0, COUNT)}. Stable for a thread's life.
     *
     * @return the stripe index
     */
    public static int current() {
        return index(Thread.currentThread().getId(), COUNT - 1);
    }

    /**
     * The stripe for a thread id under a mask of {@code stripes - 1}.
     *
     * @param threadId a thread id
     * @param mask     a power of two minus one
     * @return {@code mix(threadId) & mask}
     */
    static int index(long threadId, int mask) {
        long h = threadId * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    static int count(int processors) {
        int want = Math.max(2, Math.min(64, processors * 2));
        return Integer.highestOneBit(want - 1) << 1;
    }
}
