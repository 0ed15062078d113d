package io.memkit.meter;

import java.util.Objects;

/**
 * Which lines allocate: runs a block under a JFR recording of {@code jdk.ObjectAllocationSample}
 * events and groups the samples by allocated type and stack, as Python's tracemalloc groups its
 * traces by line. In-process, no agent, no JVM flag; JDK 17+ with the {@code jdk.jfr} module.
 *
 * <p><b>How exact it is.</b> The JVM does not report every allocation: it takes a sample when a
 * thread starts a new TLAB or allocates outside one, at most at the throttle rate (this recorder asks
 * for 1,000,000 samples per second, so in practice the TLAB refills set the rate: about one sample
 * per few hundred KB to a few MB allocated). Each sample carries a weight: the bytes its thread
 * allocated since its previous sample. A site's estimate is the sum of its samples' weights, so the
 * total is close to the exact figure (it misses the bytes after the block's last sample, at most
 * about one TLAB) while the split between sites is statistical: a site needs many samples (tens of
 * MB allocated) before its share is good to a few percent, and a block that allocates less than a
 * TLAB may get no sample at all. Run the block in a loop to allocate enough. The exact bytes of the
 * recording thread ({@link MemoryMeter}) come with every report for comparison, and the first
 * sample's weight, which the JVM counts from the thread's previous sample (possibly long before the
 * recording), is capped at what the exact figure leaves for it (where the cap applies, the first
 * sample's site is charged the bytes before the first and after the last sample, and the total equals
 * the exact figure; otherwise the total is within about one TLAB of it). Frames of {@code java.lang.invoke} between two callers (method
 * handle and lambda plumbing) are left out of the stacks.
 *
 * <p>Only the calling thread is recorded, as with {@link MemoryMeter}: work the block hands to
 * other threads is not seen. A sample belongs to the block if its stack passes through the block
 * (or, where JFR truncated a deep stack, if it was taken while the block ran).
 *
 * <p><b>Cost.</b> Starting a recording takes milliseconds (about a second for the JVM's first JFR
 * recording). To hand over every event, a recording then waits for JFR to flush them: on JDK 20+
 * through {@code RecordingStream.stop()}; on JDK 17 to 19 (which cannot stop a stream and wait) the
 * thread allocates a little until the stream hands over a sample taken after the block, about one
 * second (JFR flushes once a second), ten at most.
 *
 * <p><b>Modules.</b> {@code io.memkit.meter} reads {@code jdk.jfr} statically, so that memkit's other
 * modules run on a runtime image without it. On the class path nothing is needed; a modular
 * application that records must have {@code jdk.jfr} in its module graph (its own
 * {@code requires jdk.jfr}, {@code --add-modules jdk.jfr}, or {@code io.memkit.junit}, which requires
 * it). Without it {@link #isSupported()} is {@code false}.
 *
 * <p>Thread-safe: threads may record at once, each its own samples.
 */
public final class AllocationSites {

    /** Frames kept per stack by {@link #record(Runnable)}. */
    public static final int DEFAULT_DEPTH = 4;
    /** JFR keeps at most this many frames per stack unless the JVM is started with another stackdepth. */
    public static final int MAX_DEPTH = 64;

    private AllocationSites() {
    }

    /**
     * Tells whether this runtime can record allocation sites: the {@code jdk.jfr} module is present
     * and readable, and JFR can start.
     *
     * @return {@code true} if {@link #record(Runnable)} can work here
     */
    public static boolean isSupported() {
        return JfrSupport.AVAILABLE;
    }

    /**
     * Runs {@code work} on the calling thread and reports where it allocated, keeping
     * {@value #DEFAULT_DEPTH} frames per stack.
     *
     * @param work the block to run; an exception it throws propagates after the recording is closed
     * @return the sites, largest estimated bytes first, with the exact bytes beside them
     * @throws NullPointerException          if {@code work} is {@code null}
     * @throws UnsupportedOperationException if {@link #isSupported()} is {@code false}
     */
    public static AllocationReport record(Runnable work) {
        return record(work, DEFAULT_DEPTH);
    }

    /**
     * Runs {@code work} on the calling thread and reports where it allocated, keeping
     * {@code depth} frames per stack: sites whose innermost {@code depth} frames are the same are
     * one site (1 groups by line, as tracemalloc's {@code 'lineno'}; more tells callers apart).
     *
     * @param work  the block to run; an exception it throws propagates after the recording is closed
     * @param depth frames kept per stack, 1 to {@value #MAX_DEPTH}
     * @return the sites, largest estimated bytes first, with the exact bytes beside them
     * @throws NullPointerException          if {@code work} is {@code null}
     * @throws IllegalArgumentException      if {@code depth} is out of range
     * @throws UnsupportedOperationException if {@link #isSupported()} is {@code false}
     */
    public static AllocationReport record(Runnable work, int depth) {
        Objects.requireNonNull(work, "work must not be null");
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be 1 to " + MAX_DEPTH + ": " + depth);
        }
        if (!isSupported()) {
            throw new UnsupportedOperationException("allocation sites need the jdk.jfr module (" + JfrSupport.WHY
                    + "); a modular application adds 'requires jdk.jfr' or --add-modules jdk.jfr");
        }
        return JfrAllocationRecorder.record(work, depth);
    }

    /** Decides once whether JFR is usable, without loading any jdk.jfr class where it is absent. */
    private static final class JfrSupport {
        static final String WHY;
        static final boolean AVAILABLE;

        static {
            String why = null;
            Module jfr = ModuleLayer.boot().findModule("jdk.jfr").orElse(null);
            if (jfr == null) {
                why = "jdk.jfr is not in this runtime's module graph";
            } else if (!AllocationSites.class.getModule().canRead(jfr)) {
                why = "io.memkit.meter does not read jdk.jfr";
            } else {
                try {
                    if (!JfrAllocationRecorder.jfrAvailable()) {
                        why = "JFR is disabled in this JVM";
                    }
                } catch (LinkageError | RuntimeException e) {
                    why = "JFR failed to load: " + e;
                }
            }
            WHY = why;
            AVAILABLE = why == null;
        }
    }
}
