package io.memkit.pools;

/**
 * A snapshot of an {@link ObjectPool}'s counters. When the pool is quiescent:
 * {@code acquires == created + reused}, {@code inUse == acquires - releases - leaksDetected}, and
 * {@code idle + inUse == created - discarded - leaksDetected} (the objects alive).
 *
 * @param acquires      successful {@link ObjectPool#acquire()} calls
 * @param releases      {@link Pooled#close()} calls that released a loan (including those whose
 *                      reset or validation threw)
 * @param created       objects the factory made
 * @param reused        acquires served by an idle object
 * @param discarded     objects the pool dropped: failed or throwing validation, throwing reset,
 *                      no idle slot left ({@code maxIdle}), released after the pool closed, idle
 *                      when the pool closed
 * @param idle          objects idle in the pool now
 * @param inUse         loans not yet released (leaked loans excluded once detected)
 * @param peakInUse     the most objects alive at once, sampled when the factory makes one; as the
 *                      pool makes an object only when it found none idle, this is the peak of
 *                      objects in use, except that an acquire racing with a release on another
 *                      thread may make one while that release is adding one to the idle objects
 * @param exhausted     acquires that failed with {@link PoolExhaustedException}
 * @param leaksDetected tracked handles collected without being closed
 */
public record ObjectPoolStats(long acquires, long releases, long created, long reused, long discarded,
        long idle, long inUse, long peakInUse, long exhausted, long leaksDetected) {
}
