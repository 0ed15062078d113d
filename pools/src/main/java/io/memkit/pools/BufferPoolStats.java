package io.memkit.pools;

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
public record BufferPoolStats(long acquires, long releases, long hits, long misses, long unpooled,
        long bytesInUse, long bytesIdle, long bytesReserved, long peakBytesReserved,
        long exhausted, long leaksDetected, long doubleReleases, long liveLeases) {

    /**
     * Bytes held in quarantine: blocks of leaked leases whose raw {@code ByteBuffer} view escaped,
     * so that they can never be safely reused.
     *
     * @return {@code bytesReserved - bytesInUse - bytesIdle}
     */
    public long bytesQuarantined() {
        return bytesReserved - bytesInUse - bytesIdle;
    }
}
