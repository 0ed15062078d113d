package io.memkit.weakcache;

/**
 * A snapshot of an {@link Interner}'s counters.
 *
 * @param lookups   calls to {@link Interner#intern(Object)}: {@code hits + misses}, give or take calls in flight
 * @param hits      calls that returned an already canonical instance
 * @param misses    calls that made their argument canonical (each added one entry)
 * @param collected entries expunged because their canonical instance was collected
 * @param size      entries held, as {@link Interner#size()}
 */
public record InternerStats(long lookups, long hits, long misses, long collected, long size) {
}
