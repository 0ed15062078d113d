package io.memkit.meter;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Measures what a block of code costs: heap bytes the calling thread allocates, the change in
 * direct memory, and elapsed time.
 *
 * <p>Heap bytes come from {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()},
 * which counts every byte the thread allocated, TLAB allocations included, so the figure is exact
 * for single-threaded code: {@code measure(() -> new byte[1000])} reports the array's size with its
 * header and padding (1016 bytes on a 64-bit JVM with compressed class pointers). The meter's own
 * bytes between its two readings are calibrated once and subtracted, so an empty block reports 0.
 * Allocations by other threads, including work the block hands to them, are not counted.
 *
 * <p>Direct memory is read from the {@code "direct"} {@link BufferPoolMXBean}. memkit pools take
 * their slabs from {@link java.nio.ByteBuffer#allocateDirect(int)}, so that one figure already
 * includes what pools reserve; adding the pools' own counters would count their slabs twice.
 *
 * <p>Virtual threads: from JDK 21 the JVM counts allocation per platform thread only and reports
 * {@code -1} for a virtual thread (its bytes are counted on whichever carrier thread it mounted,
 * mixed with other virtual threads' bytes). {@link #measure(Runnable)} and
 * {@link #measureResult(Supplier)} called on a virtual thread therefore throw
 * {@link IllegalStateException} before running the block, rather than report a silent {@code -1};
 * run the block on a platform thread to measure it.
 *
 * <p>Modules: the counters come from {@code jdk.management}, which this module reads only where it
 * is present. On the class path it always is; a modular application adds
 * {@code requires jdk.management;}, otherwise {@link #isSupported()} is {@code false} and
 * {@link #directBytesUsed()} is {@code -1}.
 *
 * <p>Thread-safe: any number of threads may measure at once, each seeing its own allocations.
 */
public final class MemoryMeter {

    private static final com.sun.management.ThreadMXBean THREADS = threadsWithAllocationCounter();
    private static final BufferPoolMXBean DIRECT = directPool();
    /** Bytes the meter itself allocates between its two readings; calibrated once. */
    private static final long OVERHEAD = calibrate();

    private MemoryMeter() {
    }

    /**
     * Tells whether this JVM counts the bytes each platform thread allocates (virtual threads are
     * never counted, see the class comment). Where it does not,
     * {@link #measure(Runnable)} reports {@code -1} for allocated bytes rather than a wrong 0.
     *
     * @return {@code true} where heap allocation figures are exact
     */
    public static boolean isSupported() {
        return THREADS != null;
    }

    /**
     * Runs {@code work} on the calling thread and measures it.
     *
     * @param work the block to run; exceptions it throws propagate unchanged and nothing is measured
     * @return heap bytes allocated by this thread (or {@code -1} where unsupported), the change of
     *         direct memory in use, and elapsed nanoseconds
     * @throws NullPointerException  if {@code work} is {@code null}
     * @throws IllegalStateException if called on a virtual thread where {@link #isSupported()}
     *                               (the JVM does not count its bytes); {@code work} is not run
     */
    public static Measurement measure(Runnable work) {
        Objects.requireNonNull(work, "work must not be null");
        long direct0 = directUsed();
        long t0 = System.nanoTime();
        long a0 = allocatedBytes();
        if (a0 < 0 && THREADS != null) {
            throw notCounted();
        }
        work.run();
        long a1 = allocatedBytes();
        long t1 = System.nanoTime();
        long direct1 = directUsed();
        return new Measurement(heapDelta(a0, a1), direct1 - direct0, t1 - t0);
    }

    /**
     * Runs {@code work} on the calling thread, measures it and keeps what it returned. Named apart
     * from {@link #measure(Runnable)} so that a lambda returning a value never silently picks a
     * different overload.
     *
     * @param work the block to run; exceptions it throws propagate unchanged
     * @param <T>  the type of the result
     * @return the block's result and its measurement
     * @throws NullPointerException  if {@code work} is {@code null}
     * @throws IllegalStateException if called on a virtual thread where {@link #isSupported()}
     *                               (the JVM does not count its bytes); {@code work} is not run
     */
    public static <T> Measured<T> measureResult(Supplier<T> work) {
        Objects.requireNonNull(work, "work must not be null");
        long direct0 = directUsed();
        long t0 = System.nanoTime();
        long a0 = allocatedBytes();
        if (a0 < 0 && THREADS != null) {
            throw notCounted();
        }
        T value = work.get();
        long a1 = allocatedBytes();
        long t1 = System.nanoTime();
        long direct1 = directUsed();
        return new Measured<>(value, new Measurement(heapDelta(a0, a1), direct1 - direct0, t1 - t0));
    }

    /**
     * Heap bytes the calling thread has allocated since it started, or {@code -1} where the JVM
     * does not count them (always on a virtual thread). Differences of two readings on the same thread give what the code in
     * between allocated (plus a small constant for the reading itself; {@link #measure} removes it).
     *
     * @return the running total for the calling thread, or {@code -1}
     */
    public static long threadAllocatedBytes() {
        return allocatedBytes();
    }

    /**
     * Bytes of direct memory in use in this JVM now, from the {@code "direct"} buffer pool MXBean,
     * or {@code -1} where the JVM does not report it.
     *
     * @return direct bytes in use, or {@code -1}
     */
    public static long directBytesUsed() {
        return directUsed();
    }

    /** Cold path: why a supported meter read -1, named for the thread. */
    private static IllegalStateException notCounted() {
        Thread thread = Thread.currentThread();
        return new IllegalStateException("MemoryMeter cannot measure on " + thread
                + ": the JVM counts allocated bytes for platform threads only, not virtual threads;"
                + " run the measured block on a platform thread");
    }

    private static long heapDelta(long before, long after) {
        if (before < 0 || after < 0) {
            return -1;
        }
        return Math.max(0, after - before - OVERHEAD);
    }

    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = THREADS;
        return threads == null ? -1 : threads.getCurrentThreadAllocatedBytes();
    }

    private static long directUsed() {
        return DIRECT == null ? -1 : DIRECT.getMemoryUsed();
    }

    private static com.sun.management.ThreadMXBean threadsWithAllocationCounter() {
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (!(threads instanceof com.sun.management.ThreadMXBean)) {
                return null;
            }
            com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) threads;
            if (!sun.isThreadAllocatedMemorySupported()) {
                return null;
            }
            if (!sun.isThreadAllocatedMemoryEnabled()) {
                sun.setThreadAllocatedMemoryEnabled(true);
            }
            // Some JVMs report -1 for the current thread although the bean exists.
            return sun.getCurrentThreadAllocatedBytes() >= 0 ? sun : null;
        } catch (UnsupportedOperationException | SecurityException | LinkageError e) {
            // LinkageError: a modular application without jdk.management (this module reads it statically)
            return null;
        }
    }

    private static BufferPoolMXBean directPool() {
        try {
            List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
            for (BufferPoolMXBean pool : pools) {
                if ("direct".equals(pool.getName())) {
                    return pool;
                }
            }
            return null;
        } catch (LinkageError noJavaManagement) {
            return null;
        }
    }

    /**
     * The smallest number of bytes seen between two back-to-back readings: what a reading itself
     * allocates (0 on HotSpot, where the counter is read without allocating). The minimum over many
     * rounds rejects one-off costs such as class loading on the first call.
     */
    private static long calibrate() {
        if (THREADS == null) {
            return 0;
        }
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 64; i++) {
            long a0 = allocatedBytes();
            long a1 = allocatedBytes();
            min = Math.min(min, a1 - a0);
        }
        return Math.max(0, min);
    }
}
