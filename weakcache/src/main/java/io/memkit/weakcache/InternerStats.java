package io.memkit.weakcache;

import io.memkit.meter.Metric;
import io.memkit.meter.Metric.Kind;
import io.memkit.meter.Metric.Unit;

/**
 * A snapshot of an {@link Interner}'s counters.
 *
 * <p>Each value's {@link Metric} says whether it is a counter or a gauge, its unit and its meter
 * name; reports, JMX and the Micrometer binder all read it from there.
 *
 * @param lookups   calls to {@link Interner#intern(Object)}: {@code hits + misses}, give or take calls in flight
 * @param hits      calls that returned an already canonical instance
 * @param misses    calls that made their argument canonical (each added one entry)
 * @param collected entries expunged because their canonical instance was collected
 * @param size      entries held, as {@link Interner#size()}
 */
public record InternerStats(
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "") long lookups,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.interner.lookups", tags = "result=hit") long hits,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.interner.lookups", tags = "result=miss") long misses,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.interner.collected") long collected,
        @Metric(kind = Kind.GAUGE, unit = Unit.COUNT, meter = "memkit.interner.size") long size) {
}
