package io.memkit.pools;

/**
 * How closely a pool watches for leases that are dropped without being closed.
 */
public enum LeakDetection {
    /** No tracking; nothing is reported. */
    OFF,
    /** About one lease in 128 is tracked; its acquiring stack is recorded. Cheap enough to leave on. */
    SAMPLED,
    /** Every lease is tracked with its acquiring stack. For tests and leak hunts: slow. */
    PARANOID
}
