package io.memkit.weakcache.internal;

import io.memkit.meter.Instruments;
import io.memkit.weakcache.RemovalCause;
import io.memkit.weakcache.RemovalListener;
import io.memkit.weakcache.WeakCache;
import io.memkit.weakcache.WeakCacheStats;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The {@link WeakCache}: a {@link ConcurrentHashMap} from each key to either a {@link ValueRef}
 * (a weak reference to the value that also holds the key) or a {@link Loading} placeholder while
 * the key's value is being loaded.
 *
 * <p>Every state change is one atomic map operation ({@code putIfAbsent}, {@code replace} or
 * {@code remove} of an expected current mapping), so exactly one thread wins each transition and
 * only the winner tells the listener: each entry is reported once. The listener runs after the
 * map operation, outside every lock.
 *
 * <p>Collected values: without a cleaner, each value's reference is registered with this cache's
 * {@link ReferenceQueue}, and every call first expunges at most {@value #DRAIN_BATCH} of them;
 * {@link #cleanUp()} expunges all. With a cleaner, each value is registered with it and its
 * {@link ValueRef} is the cleaning action, which reaches the cache through a weak reference so
 * that the cleaner never keeps a dropped cache alive.
 *
 * <p>Loads: the first caller for an absent key installs a {@link Loading} placeholder and runs the
 * loader; later callers wait on its future ({@link CompletableFuture#join()} parks, so a waiting
 * virtual thread does not pin its carrier).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class WeakValueCache<K, V> implements WeakCache<K, V> {
    private static final System.Logger LOG = System.getLogger(WeakCache.class.getName());
    /** References a call expunges at most before doing its own work. */
    static final int DRAIN_BATCH = 64;
    private static final AtomicLong NAMES = new AtomicLong();

    private final String name;
    private final RemovalListener<? super K, ? super V> listener;
    private final Cleaner cleaner;
    private final ReferenceQueue<V> queue;
    /** What the cleaner's actions hold: the cache, weakly. */
    private final WeakReference<WeakValueCache<K, V>> self;
    private final ConcurrentHashMap<K, Object> map = new ConcurrentHashMap<>();

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder collected = new LongAdder();
    private final LongAdder removed = new LongAdder();
    /** Placeholders in the map, which {@link #size()} leaves out. */
    private final LongAdder loading = new LongAdder();

    /**
     * A new empty cache, registered with {@link Instruments}.
     *
     * @param name     its name, or {@code null} for a generated one
     * @param listener told of removals, or {@code null}
     * @param cleaner  removes collected entries promptly, or {@code null} to do it on later calls
     */
    public WeakValueCache(String name, RemovalListener<? super K, ? super V> listener, Cleaner cleaner) {
        this.name = name != null ? name : "weak-cache-" + NAMES.incrementAndGet();
        this.listener = listener;
        this.cleaner = cleaner;
        this.queue = cleaner == null ? new ReferenceQueue<>() : null;
        this.self = cleaner == null ? null : new WeakReference<>(this);
        Instruments.register(this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(K key, Function<? super K, ? extends V> loader) {
        requireKey(key);
        if (loader == null) {
            throw new NullPointerException("loader must not be null");
        }
        drain(DRAIN_BATCH);
        for (;;) {
            Object current = map.get(key);
            V value = liveValue(current);
            if (value != null) {
                return value;
            }
            if (current instanceof Loading) {
                return await((Loading<V>) current, key);
            }
            if (current == null) {
                Loading<V> mine = new Loading<>(Thread.currentThread());
                if (map.putIfAbsent(key, mine) == null) {
                    loading.increment();
                    misses.increment();
                    return load(key, loader, mine);
                }
            }
        }
    }

    private V load(K key, Function<? super K, ? extends V> loader, Loading<V> mine) {
        V value;
        try {
            value = loader.apply(key);
            if (value == null) {
                throw new NullPointerException("loader returned null for key " + key);
            }
        } catch (Throwable failure) {
            loadFailures.increment();
            if (map.remove(key, mine)) {
                loading.decrement();
                mine.future.completeExceptionally(failure);
            }
            // else a put replaced the placeholder and completes it with its value; this caller
            // still sees its own loader's failure.
            throw failure;
        }
        loads.increment();
        ValueRef<K, V> ref = newRef(key, value);
        if (map.replace(key, mine, ref)) {
            loading.decrement();
            mine.future.complete(value);
            return value;
        }
        // A put replaced the placeholder: its value wins and is what every waiter gets.
        deregister(ref);
        return mine.future.join();
    }

    @SuppressWarnings("unchecked")
    private V await(Loading<V> pending, K key) {
        if (pending.owner == Thread.currentThread()) {
            throw new IllegalStateException("recursive load: the loader for key " + key
                    + " asked the cache '" + name + "' for the same key");
        }
        V value;
        try {
            value = pending.future.join();
        } catch (CompletionException failed) {
            misses.increment();
            Throwable cause = failed.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw failed;
        }
        hits.increment();
        return value;
    }

    @Override
    public V getIfPresent(K key) {
        requireKey(key);
        drain(DRAIN_BATCH);
        V value = liveValue(map.get(key));
        if (value != null) {
            return value;
        }
        misses.increment();
        return null;
    }

    /**
     * The value of a mapping that is a {@link ValueRef} whose value is still alive, counted as a
     * hit; a collected one is expunged. {@code null} for a collected value, a load in progress or
     * no mapping.
     */
    @SuppressWarnings("unchecked")
    private V liveValue(Object current) {
        if (current instanceof ValueRef) {
            ValueRef<K, V> ref = (ValueRef<K, V>) current;
            V value = ref.get();
            if (value != null) {
                hits.increment();
                return value;
            }
            expunge(ref);
        }
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        requireKey(key);
        if (value == null) {
            throw new NullPointerException("value must not be null (key " + key + ")");
        }
        drain(DRAIN_BATCH);
        ValueRef<K, V> ref = newRef(key, value);
        for (;;) {
            Object current = map.get(key);
            if (current == null) {
                if (map.putIfAbsent(key, ref) == null) {
                    return null;
                }
            } else if (map.replace(key, current, ref)) {
                if (current instanceof Loading) {
                    loading.decrement();
                    ((Loading<V>) current).future.complete(value);
                    return null;
                }
                ValueRef<K, V> old = (ValueRef<K, V>) current;
                deregister(old);
                V oldValue = old.get();
                if (oldValue == null) {
                    collected.increment();
                    notifyListener(key, null, RemovalCause.COLLECTED);
                } else if (oldValue != value) {
                    notifyListener(key, oldValue, RemovalCause.REPLACED);
                }
                return oldValue;
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(K key) {
        requireKey(key);
        drain(DRAIN_BATCH);
        for (;;) {
            Object current = map.get(key);
            if (!(current instanceof ValueRef)) {
                return null;
            }
            if (map.remove(key, current)) {
                ValueRef<K, V> ref = (ValueRef<K, V>) current;
                deregister(ref);
                V value = ref.get();
                if (value == null) {
                    collected.increment();
                    notifyListener(key, null, RemovalCause.COLLECTED);
                } else {
                    removed.increment();
                    notifyListener(key, value, RemovalCause.EXPLICIT);
                }
                return value;
            }
        }
    }

    @Override
    public int size() {
        drain(DRAIN_BATCH);
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, map.mappingCount() - loading.sum()));
    }

    @Override
    public void cleanUp() {
        drain(Integer.MAX_VALUE);
    }

    @Override
    public WeakCacheStats stats() {
        long size = Math.max(0, map.mappingCount() - loading.sum());
        return new WeakCacheStats(hits.sum(), misses.sum(), loads.sum(), loadFailures.sum(),
                collected.sum(), removed.sum(), size);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "WeakCache";
    }

    @Override
    public Map<String, Long> counters() {
        WeakCacheStats s = stats();
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("hits", s.hits());
        counters.put("misses", s.misses());
        counters.put("loads", s.loads());
        counters.put("loadFailures", s.loadFailures());
        counters.put("collected", s.collected());
        counters.put("removed", s.removed());
        counters.put("size", s.size());
        return Collections.unmodifiableMap(counters);
    }

    @Override
    public String toString() {
        return "WeakCache '" + name + "' " + stats();
    }

    private static void requireKey(Object key) {
        if (key == null) {
            throw new NullPointerException("key must not be null");
        }
    }

    /** A reference to {@code value}; registered with the cleaner (before it is published) or the queue. */
    private ValueRef<K, V> newRef(K key, V value) {
        if (cleaner == null) {
            return new ValueRef<>(key, value, queue, null);
        }
        ValueRef<K, V> ref = new ValueRef<>(key, value, null, self);
        ref.cleanable = cleaner.register(value, ref);
        return ref;
    }

    /** The entry left the map for another reason: its cleaner registration has nothing left to do. */
    private static void deregister(ValueRef<?, ?> ref) {
        Cleaner.Cleanable cleanable = ref.cleanable;
        if (cleanable != null) {
            // Runs ref.run() now, on this thread: the map no longer holds ref, so it does nothing.
            cleanable.clean();
        }
    }

    @SuppressWarnings("unchecked")
    private void drain(int max) {
        if (queue == null) {
            return;
        }
        for (int n = 0; n < max; n++) {
            Reference<? extends V> ref = queue.poll();
            if (ref == null) {
                return;
            }
            expunge((ValueRef<K, V>) ref);
        }
    }

    /** Removes a collected value's entry, if the map still holds it, and tells the listener once. */
    void expunge(ValueRef<K, V> ref) {
        if (map.remove(ref.key, ref)) {
            deregister(ref);
            collected.increment();
            notifyListener(ref.key, null, RemovalCause.COLLECTED);
        }
    }

    private void notifyListener(K key, V value, RemovalCause cause) {
        if (listener == null) {
            return;
        }
        try {
            listener.onRemoval(key, value, cause);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "removal listener of cache '" + name + "' threw for key "
                    + key + " (" + cause + "); ignored", t);
        }
    }

    /**
     * The weakly held value of one entry, with its key; with a cleaner, also the cleaning action
     * that removes the entry once the value is collected.
     */
    static final class ValueRef<K, V> extends WeakReference<V> implements Runnable {
        final K key;
        private final WeakReference<WeakValueCache<K, V>> owner;
        /** Set before the reference is published in the map, which orders it before other threads read it. */
        Cleaner.Cleanable cleanable;

        ValueRef(K key, V value, ReferenceQueue<? super V> queue, WeakReference<WeakValueCache<K, V>> owner) {
            super(value, queue);
            this.key = key;
            this.owner = owner;
        }

        /** The cleaner's action: the value was collected (or the entry already left the map). */
        @Override
        public void run() {
            WeakValueCache<K, V> cache = owner.get();
            if (cache != null) {
                cache.expunge(this);
            }
        }
    }

    /** A load in progress: the loading thread and the future its waiters join. */
    static final class Loading<V> {
        final Thread owner;
        final CompletableFuture<V> future = new CompletableFuture<>();

        Loading(Thread owner) {
            this.owner = owner;
        }
    }
}
