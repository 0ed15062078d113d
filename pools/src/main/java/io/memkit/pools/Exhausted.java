package io.memkit.pools;

/**
 * What a pool does when a request would exceed its cap.
 */
public enum Exhausted {
    /** Throw {@link PoolExhaustedException} at once. */
    FAIL,
    /** Block until capacity is released or the pool's acquire timeout elapses, then throw. */
    WAIT
}
