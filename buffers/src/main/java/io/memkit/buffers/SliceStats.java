package io.memkit.buffers;

/**
 * A snapshot of memkit's JVM-wide Slice counters: how many bytes were shared as views instead of
 * copied, and how many were copied explicitly. Taken by {@link Slice#stats()}; immutable.
 *
 * <p>Counted as views: every Slice made by {@code wrap}, {@code slice}, {@code asReadOnly} and by
 * pools. Counted as copies: {@code copyOf}, {@code toByteArray}, {@code copyTo},
 * {@code putBytes} and {@link CompositeSlice#toByteArray()}. Counts are exact for work done on one
 * thread; threads that count concurrently on a shared counter stripe (picked by thread id; about
 * twice as many stripes as processors) may lose increments, so under concurrency the totals are a
 * lower bound. All zero when counting
 * is switched off with {@code -Dio.memkit.slice.stats=false}.
 *
 * @param views       Slices handed out without copying
 * @param bytesViewed sum of their lengths: bytes shared instead of copied
 * @param copies      explicit copies made
 * @param bytesCopied sum of the bytes those copies moved
 */
public record SliceStats(long views, long bytesViewed, long copies, long bytesCopied) {
}
