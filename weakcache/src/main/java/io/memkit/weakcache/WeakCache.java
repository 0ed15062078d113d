package io.memkit.weakcache;

/**
 * A cache with strong keys and weak values. (Skeleton: the full API lands with the weakcache work.)
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface WeakCache<K, V> {
    /**
     * Removes the entry for {@code key}.
     *
     * @param key the key
     * @return the value removed, or {@code null}
     */
    V remove(K key);
}
