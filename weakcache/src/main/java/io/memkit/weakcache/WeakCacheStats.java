package io.memkit.weakcache;

/**
 * A snapshot of a {@link WeakCache}'s counters.
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
public record WeakCacheStats(long hits, long misses, long loads, long loadFailures,
        long collected, long removed, long size) {
}
