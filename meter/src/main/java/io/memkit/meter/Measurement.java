package io.memkit.meter;

/**
 * What one measured block of code cost.
 *
 * @param allocatedBytes   heap bytes the measuring thread allocated while the block ran, the
 *                         meter's own overhead subtracted; {@code -1} where the JVM has no
 *                         per-thread allocation counter ({@link MemoryMeter#isSupported()})
 * @param directBytesDelta change of the JVM's direct memory in use (the {@code "direct"}
 *                         {@link java.lang.management.BufferPoolMXBean}, which includes the slabs
 *                         memkit pools reserve) from before to after the block; other threads
 *                         contribute to it too
 * @param elapsedNanos     wall-clock time the block took, in nanoseconds
 */
public record Measurement(long allocatedBytes, long directBytesDelta, long elapsedNanos) {
}
