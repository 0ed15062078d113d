package io.memkit.pools;

import io.memkit.meter.Metric;
import io.memkit.meter.Metric.Kind;
import io.memkit.meter.Metric.Unit;

/**
 * A snapshot of a {@link BufferPool}'s counters, taken by {@link BufferPool#stats()}.
 *
 * <p>Each value is exact when read, but under concurrency the values are not read at one
 * instant. At quiescence (no acquire or close in progress) they balance:
 * {@code acquires == releases + liveLeases}, {@code acquires == hits + misses + unpooled} and
 * {@code bytesReserved == bytesInUse + bytesIdle + quarantined bytes}, where the quarantined
 * bytes are {@code bytesReserved - bytesInUse - bytesIdle}. Under concurrency no field is ever
 * negative or above {@code maxBytes} (see {@link BufferPool#stats()} for what else holds).
 *
 * <p>Each value's {@link Metric} says whether it is a counter or a gauge, its unit and its meter
 * name; reports, JMX and the Micrometer binder all read it from there.
 *
 * @param acquires          successful {@code acquire} calls
 * @param releases          leases that ended: last {@code close()} of each, plus leaked leases the
 *                          pool found and reclaimed or quarantined
 * @param hits              pooled acquires served from idle memory (a cached block)
 * @param misses            pooled acquires that carved a new block (from a new or partly used slab)
 * @param unpooled          acquires above {@code maxPooledCapacity} (or above any size class
 *                          that fits {@code maxBytes}), served with dedicated memory
 * @param bytesInUse        bytes of the blocks held by live leases (a block is the size class of the
 *                          request, so at least the capacity asked for)
 * @param bytesIdle         reserved bytes not in use and not quarantined: cached blocks and uncarved
 *                          parts of slabs
 * @param bytesReserved     direct memory the pool holds now; never above {@code maxBytes}
 * @param peakBytesReserved the highest {@code bytesReserved} seen
 * @param exhausted         {@code acquire} calls that threw {@link PoolExhaustedException}
 * @param leaksDetected     tracked leases whose handle was garbage-collected without being closed
 * @param doubleReleases    {@code close()} calls on leases already released (each threw
 *                          {@link IllegalStateException} and changed nothing)
 * @param liveLeases        leases acquired and not yet released ({@code acquires - releases})
 */
public record BufferPoolStats(
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.acquires") long acquires,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.releases") long releases,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.cache.gets", tags = "result=hit") long hits,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.cache.gets", tags = "result=miss") long misses,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.unpooled") long unpooled,
        @Metric(kind = Kind.GAUGE, unit = Unit.BYTES, meter = "memkit.pool.memory", tags = "state=used") long bytesInUse,
        @Metric(kind = Kind.GAUGE, unit = Unit.BYTES, meter = "memkit.pool.memory", tags = "state=idle") long bytesIdle,
        @Metric(kind = Kind.GAUGE, unit = Unit.BYTES, meter = "memkit.pool.memory", tags = "state=reserved") long bytesReserved,
        @Metric(kind = Kind.GAUGE, unit = Unit.BYTES, meter = "memkit.pool.memory.peak") long peakBytesReserved,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.exhausted") long exhausted,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.leaks") long leaksDetected,
        @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.pool.double.releases") long doubleReleases,
        @Metric(kind = Kind.GAUGE, unit = Unit.COUNT, meter = "memkit.pool.leases") long liveLeases) {

    /**
     * Bytes held in quarantine: blocks of leaked leases whose raw {@code ByteBuffer} view escaped,
     * so that they can never be safely reused.
     *
     * @return {@code bytesReserved - bytesInUse - bytesIdle}
     */
    @Metric(kind = Kind.GAUGE, unit = Unit.BYTES, meter = "memkit.pool.memory", tags = "state=quarantined")
    public long bytesQuarantined() {
        return bytesReserved - bytesInUse - bytesIdle;
    }
}
