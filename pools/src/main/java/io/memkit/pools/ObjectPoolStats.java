package io.memkit.pools;

import io.memkit.meter.Metric;
import io.memkit.meter.Metric.Kind;
import io.memkit.meter.Metric.Unit;

/**
 * A snapshot of an {@link ObjectPool}'s counters. When the pool is quiescent:
 * {@code acquires == created + reused}, {@code inUse == acquires - releases - leaksDetected}, and
 * {@code idle + inUse == created - discarded - leaksDetected} (the objects alive).
 *
 * <p>Each value's {@link Metric} says whether it is a counter or a gauge, its unit and its meter
 * name; reports, JMX and the Micrometer binder all read it from there.
 *
 * @param acquires      successful {@link ObjectPool#acquire()} calls
 * @param releases      {@link Pooled#close()} calls that released a loan (including those whose
 *                      reset or validation threw)
 * @param created       objects the factory made
 * @param reused        acquires served by an idle object
 * @param discarded     objects the pool dropped: failed or throwing validation, throwing reset,
 *                      no idle slot left ({@code maxIdle}), idle beyond the idle timeout,
 *                      released after the pool closed, idle when the pool closed
 * @param idle          objects idle in the pool now
 * @param inUse         loans not yet released (leaked loans excluded once detected)
 * @param peakInUse     the most objects alive at once, sampled when the factory makes one; as the
 *                      pool makes an object only when it found none idle, this is the peak of
 *                      objects in use, except that an acquire racing with a release on another
 *                      thread may make one while that release is adding one to the idle objects
 * @param exhausted     acquires that failed with {@link PoolExhaustedException}
 * @param leaksDetected tracked handles collected without being closed
 */
public record ObjectPoolStats(
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.acquires") long acquires,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.releases") long releases,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.objects.created") long created,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.objects.reused") long reused,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.objects.discarded") long discarded,
        @Metric(kind = Kind.GAUGE, unit = Unit.COUNT, meter = "memkit.pool.objects", tags = "state=idle") long idle,
        @Metric(kind = Kind.GAUGE, unit = Unit.COUNT, meter = "memkit.pool.objects", tags = "state=used") long inUse,
        @Metric(kind = Kind.GAUGE, unit = Unit.COUNT, meter = "memkit.pool.objects.peak") long peakInUse,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.exhausted") long exhausted,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.leaks") long leaksDetected) {
}
