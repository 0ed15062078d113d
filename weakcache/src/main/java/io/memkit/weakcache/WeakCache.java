package io.memkit.weakcache;

import io.memkit.meter.Instrumented;
import io.memkit.weakcache.internal.WeakValueCacheBuilder;
import java.lang.ref.Cleaner;
import java.util.function.Function;

/**
 * A cache with strong keys and weak values: an entry lives as long as something else holds its
 * value strongly, and disappears once the collector clears the value.
 *
 * <p>{@link #get(Object, Function)} loads at most once per key at a time, without exception: no
 * loader for a key starts while another loader for that key runs, whatever {@link #put} and
 * {@link #remove} do meanwhile. Concurrent callers for a key that is loading wait for that one
 * load and return its value (or its exception), or the value of a {@code put} made during it.
 * Waiting parks the thread (it never holds a monitor), so it does not pin virtual threads.
 *
 * <p>When a value is collected, its entry is removed and the {@link RemovalListener} is told
 * {@link RemovalCause#COLLECTED} with the key and a {@code null} value: promptly on the
 * {@link Cleaner}'s thread when the cache was built with {@link Builder#cleaner(Cleaner)};
 * otherwise typically within a second of the collection, on memkit's shared daemon thread
 * ({@code memkit-expunger-N}, which holds the cache only weakly), or earlier during a call on the
 * cache other than a hit (each does a bounded amount of that work) or {@link #cleanUp()}. Listener
 * exceptions are logged and never break the cache.
 *
 * <p>Thread-safe. Keys use {@code equals}/{@code hashCode}; values are compared by identity.
 * {@code null} keys and values are rejected. Every cache registers itself with
 * {@link io.memkit.meter.Instruments} (held weakly there).
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface WeakCache<K, V> extends Instrumented {

    /**
     * A builder for a cache.
     *
     * @param <K> key type
     * @param <V> value type
     * @return a new builder with a generated name, no listener and no cleaner
     */
    static <K, V> Builder<K, V> builder() {
        return new WeakValueCacheBuilder<>();
    }

    /**
     * The value for {@code key}, loading it with {@code loader} when no live value is present.
     * While one caller loads a key, other callers for that key wait for its result instead of
     * loading again; what the loader throws reaches every one of them, is counted in
     * {@link WeakCacheStats#loadFailures()} and leaves no entry. A hit takes no lock.
     *
     * @param key    the key
     * @param loader computes the value; called on the caller's thread, at most once per key at a
     *               time; must not call this cache for the same key
     * @return the live value: present, just loaded, or put while the load ran
     * @throws NullPointerException  if {@code key} or {@code loader} is {@code null}, or the loader
     *                               returned {@code null}
     * @throws IllegalStateException if the loader asks this cache for the key it is loading
     * @throws RuntimeException      or {@link Error}: whatever the loader threw, to every waiting caller
     */
    V get(K key, Function<? super K, ? extends V> loader);

    /**
     * The live value for {@code key}, without loading.
     *
     * @param key the key
     * @return the value, or {@code null} when absent, collected, or still loading
     * @throws NullPointerException if {@code key} is {@code null}
     */
    V getIfPresent(K key);

    /**
     * Maps {@code key} to {@code value}. A live previous value is reported to the listener as
     * {@link RemovalCause#REPLACED}. A load of the key in progress completes with {@code value}:
     * its waiters get {@code value}, and the loader's result is discarded (it never becomes the
     * entry, even if {@code value}'s entry is removed before the loader returns).
     *
     * @param key   the key
     * @param value the value, held weakly
     * @return the previous live value, or {@code null}
     * @throws NullPointerException if {@code key} or {@code value} is {@code null}
     */
    V put(K key, V value);

    /**
     * Removes the entry for {@code key}; a live value is reported to the listener as
     * {@link RemovalCause#EXPLICIT}. A load in progress goes on: removing a value put during it
     * leaves the key loading, and a later {@link #get} for the key waits until that loader has
     * returned, then loads anew.
     *
     * @param key the key
     * @return the value removed, or {@code null} when absent, collected, or loading with no value put
     * @throws NullPointerException if {@code key} is {@code null}
     */
    V remove(K key);

    /**
     * The number of entries, loads in progress excluded; entries whose value was collected count
     * until they are removed. Approximate under concurrency.
     *
     * @return the number of entries
     */
    int size();

    /**
     * Removes every entry whose value was collected now, on the calling thread, telling the
     * listener; without a {@link Builder#cleaner(Cleaner) cleaner} the expunger thread and other
     * calls do this a bounded batch at a time. Called from the removal listener while this thread
     * is already removing collected entries, it returns at once and that removal goes on.
     */
    void cleanUp();

    /**
     * A snapshot of the counters; each is exact, but not read at one instant.
     *
     * @return the counters
     */
    WeakCacheStats stats();

    /**
     * Configures a {@link WeakCache}. Not thread-safe; each {@link #build()} makes a new cache.
     *
     * @param <K> key type
     * @param <V> value type
     */
    interface Builder<K, V> {
        /**
         * Sets the name the cache has in {@link io.memkit.meter.Instruments} reports and JMX.
         *
         * @param name the name
         * @return this builder
         * @throws NullPointerException if {@code name} is {@code null}
         */
        Builder<K, V> name(String name);

        /**
         * Sets the listener told of every removal; it runs on the thread that removed the entry,
         * outside the cache's locks, and may call back into the cache. Exceptions it throws are
         * logged and ignored. Without a cleaner, {@link RemovalCause#COLLECTED} is often told on
         * memkit's shared expunger thread: a listener that blocks there delays the expunging of
         * every interner and cache of the JVM, so keep it short.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException if {@code listener} is {@code null}
         */
        Builder<K, V> removalListener(RemovalListener<? super K, ? super V> listener);

        /**
         * Removes entries of collected values promptly, on {@code cleaner}'s thread, without any
         * further call on the cache. Costs one cleaner registration per value put or loaded.
         * While a value is alive, the cleaner holds its key strongly.
         *
         * @param cleaner the cleaner, often shared by many caches
         * @return this builder
         * @throws NullPointerException if {@code cleaner} is {@code null}
         */
        Builder<K, V> cleaner(Cleaner cleaner);

        /**
         * A new empty cache with this configuration, registered with {@link io.memkit.meter.Instruments}.
         *
         * @param <K1> key type
         * @param <V1> value type
         * @return the cache
         */
        <K1 extends K, V1 extends V> WeakCache<K1, V1> build();
    }
}
