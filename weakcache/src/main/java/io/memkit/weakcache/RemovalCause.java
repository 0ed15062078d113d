package io.memkit.weakcache;

/**
 * Why an entry left a {@link WeakCache}.
 */
public enum RemovalCause {
    /** The value was garbage-collected; the listener gets the key and a {@code null} value. */
    COLLECTED,
    /** The entry was removed with {@link WeakCache#remove(Object)}. */
    EXPLICIT,
    /** The value was replaced with {@link WeakCache#put(Object, Object)}. */
    REPLACED
}
