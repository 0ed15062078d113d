package io.memkit.meter.internal;

/**
 * Picks the stripe a thread uses in every striped structure of memkit (magazines, slots,
 * counters), so that one thread lands on the same stripe index everywhere.
 *
 * <p>No thread-locals: the stripe is derived from the thread's id, so it costs nothing to keep
 * per thread and stays bounded however many (virtual) threads come and go. Ids are mixed with a
 * 64-bit Fibonacci hash so that consecutive ids spread over the stripes. Thread-safe, stateless.
 */
public final class Stripes {

    /** Stripes per structure: a power of two at least twice the number of processors, 2 to 64. */
    public static final int COUNT = count(Runtime.getRuntime().availableProcessors());

    /** {@code COUNT - 1}: the mask that turns a mixed id into a stripe index. */
    public static final int MASK = COUNT - 1;

    private Stripes() {
    }

    /**
     * The stripe of the calling thread, in {@code [0, COUNT)}; stable for the thread's life.
     *
     * @return the stripe index
     */
    public static int current() {
        return index(threadId(Thread.currentThread()), MASK);
    }

    /**
     * The stripe of a thread id under a mask.
     *
     * @param threadId a thread id
     * @param mask     a power of two minus one
     * @return the mixed id, masked: a value in {@code [0, mask]}
     */
    public static int index(long threadId, int mask) {
        long h = threadId * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /**
     * The stripe count for a number of processors: the power of two at or above
     * {@code 2 * processors}, clamped to {@code [2, 64]}.
     *
     * @param processors the number of processors, at least 1
     * @return the stripe count
     * @throws IllegalArgumentException if {@code processors < 1}
     */
    public static int count(int processors) {
        if (processors < 1) {
            throw new IllegalArgumentException("processors must be >= 1: " + processors);
        }
        int want = Math.max(2, Math.min(64, processors * 2));
        return Integer.highestOneBit(want - 1) << 1;
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; memkit compiles for 17
    private static long threadId(Thread t) {
        return t.getId();
    }
}
