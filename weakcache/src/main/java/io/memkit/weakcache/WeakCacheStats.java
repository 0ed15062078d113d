package io.memkit.weakcache;

import io.memkit.meter.Metric;
import io.memkit.meter.Metric.Kind;
import io.memkit.meter.Metric.Unit;

/**
 * A snapshot of a {@link WeakCache}'s counters.
 *
 * <p>Each value's {@link Metric} says whether it is a counter or a gauge, its unit and its meter
 * name; reports, JMX and the Micrometer binder all read it from there.
 *
 * @param hits         lookups ({@code get} and {@code getIfPresent}) that found a live value,
 *                     including callers of {@code get} that waited for another caller's load
 * @param misses       lookups that found no live value
 * @param loads        loader calls that returned a value
 * @param loadFailures loader calls that threw or returned {@code null}
 * @param collected    entries removed because their value was collected ({@link RemovalCause#COLLECTED})
 * @param removed      entries removed with {@link WeakCache#remove(Object)} ({@link RemovalCause#EXPLICIT})
 * @param size         entries held, as {@link WeakCache#size()}
 */
public record WeakCacheStats(
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.cache.gets", tags = "result=hit") long hits,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.cache.gets", tags = "result=miss") long misses,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.cache.loads", tags = "result=success") long loads,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.cache.loads", tags = "result=failure") long loadFailures,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.cache.removals", tags = "cause=collected") long collected,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.cache.removals", tags = "cause=explicit") long removed,
        @Metric(kind = Kind.GAUGE, unit = Unit.COUNT, meter = "memkit.cache.size") long size) {
}
