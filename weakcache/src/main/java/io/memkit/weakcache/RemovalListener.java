package io.memkit.weakcache;

/**
 * Told each time an entry leaves a {@link WeakCache}. Called on the thread that removed the
 * entry, outside the cache's locks, so it may call back into the cache. For
 * {@link RemovalCause#COLLECTED} that is the cache's {@link java.lang.ref.Cleaner} thread when one
 * is configured, otherwise memkit's shared expunger thread or a thread calling the cache; keep it
 * short, as a listener that blocks the expunger thread delays every cache's expunging. An
 * exception it throws is logged and otherwise ignored.
 *
 * @param <K> key type
 * @param <V> value type
 */
@FunctionalInterface
public interface RemovalListener<K, V> {
    /**
     * An entry left the cache.
     *
     * @param key   the entry's key, never {@code null}
     * @param value the entry's value, {@code null} when {@code cause} is {@link RemovalCause#COLLECTED}
     * @param cause why it left
     */
    void onRemoval(K key, V value, RemovalCause cause);
}
