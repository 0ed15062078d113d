package io.memkit.buffers;

import io.memkit.meter.Metric;
import io.memkit.meter.Metric.Kind;
import io.memkit.meter.Metric.Unit;

/**
 * A snapshot of memkit's JVM-wide Slice counters: how many bytes were shared as views instead of
 * copied, and how many were copied explicitly. Taken by {@link Slice#stats()}; immutable.
 *
 * <p>Counted as views: every Slice made by {@code wrap}, {@code slice}, {@code asReadOnly} and by
 * pools. Counted as copies: {@code copyOf}, {@code toByteArray}, {@code copyTo},
 * {@code putBytes} and {@link CompositeSlice#toByteArray()}. Counts are exact for work done on one
 * thread; threads that count concurrently on a shared counter stripe may lose increments, so under
 * concurrency the totals are a lower bound. There are about twice as many stripes as processors; a
 * view counts on the stripe of the thread that made its memory's owner (the {@code wrap}, or the
 * lease's first view), a copy on the stripe of the copying thread. All zero when counting is
 * switched off with {@code -Dio.memkit.slice.stats=false}.
 *
 * <p>Each value's {@link Metric} says whether it is a counter or a gauge, its unit and its meter
 * name; reports, JMX and the Micrometer binder all read it from there.
 *
 * @param views       Slices handed out without copying
 * @param bytesViewed sum of their lengths: bytes shared instead of copied
 * @param copies      explicit copies made
 * @param bytesCopied sum of the bytes those copies moved
 */
public record SliceStats(
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.slice.views") long views,
        @Metric(kind = Kind.COUNTER, unit = Unit.BYTES, meter = "memkit.slice.viewed") long bytesViewed,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.slice.copies") long copies,
        @Metric(kind = Kind.COUNTER, unit = Unit.BYTES, meter = "memkit.slice.copied") long bytesCopied) {
}
