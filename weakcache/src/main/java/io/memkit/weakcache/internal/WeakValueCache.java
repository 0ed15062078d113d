package io.memkit.weakcache.internal;

import io.memkit.meter.Instruments;
import io.memkit.meter.internal.StripedCounters;
import io.memkit.weakcache.RemovalCause;
import io.memkit.weakcache.RemovalListener;
import io.memkit.weakcache.WeakCache;
import io.memkit.weakcache.WeakCacheStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The {@link WeakCache}: a {@link ConcurrentHashMap} from each key to either a {@link ValueRef}
 * (a weak reference to the value that also holds the key) or a {@link Loading} placeholder while
 * the key's value is being loaded.
 *
 * <p>Every state change is one atomic map operation ({@code putIfAbsent}, {@code replace} or
 * {@code remove} of an expected current mapping, or a {@code compute} that changes a placeholder
 * only while the map still holds it), so exactly one thread wins each transition and only the
 * winner tells the listener: each entry is reported once. The listener runs after the map
 * operation, outside every lock.
 *
 * <p>Loads: the first caller for an absent key installs a {@link Loading} placeholder and runs the
 * loader; later callers wait on its future ({@link CompletableFuture#join()} parks, so a waiting
 * virtual thread does not pin its carrier). The placeholder stays in the map until its loader
 * returns or throws, whatever {@code put} and {@code remove} do meanwhile: a put during the load
 * is kept in the placeholder ({@link Loading#override}), so a new load of the key can only start
 * once the one in flight has finished, which makes "at most one load per key at a time" hold
 * without exception.
 *
 * <p>Collected values: without a cleaner, each value's reference is registered with this cache's
 * {@link ReferenceQueue}; every call but a hit expunges at most {@value #DRAIN_BATCH} of them, the
 * shared {@link Expunger} thread drains the queue after each collection, and {@link #cleanUp()}
 * expunges all. One thread drains at a time ({@link #drainer}), so a removal listener that calls
 * back into the cache does not recurse into another drain. With a cleaner, each value is
 * registered with it and its {@link ValueRef} is the cleaning action, which reaches the cache
 * through a weak reference so that the cleaner never keeps a dropped cache alive.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class WeakValueCache<K, V> implements WeakCache<K, V> {
    private static final System.Logger LOG = System.getLogger(WeakCache.class.getName());
    /** References a call, or one expunger step, expunges at most: bounds what one call pays. */
    static final int DRAIN_BATCH = 64;
    private static final AtomicLong NAMES = new AtomicLong();
    private static final VarHandle DRAINER;

    static {
        try {
            DRAINER = MethodHandles.lookup().findVarHandle(WeakValueCache.class, "drainer", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int HITS = 0;
    private static final int MISSES = 1;
    private static final int LOADS = 2;
    private static final int LOAD_FAILURES = 3;
    private static final int COLLECTED = 4;
    private static final int REMOVED = 5;
    /** Placeholders in the map that hold no value put during their load: {@link #size()} leaves them out. */
    private static final int LOADING = 6;

    private final String name;
    private final RemovalListener<? super K, ? super V> listener;
    private final Cleaner cleaner;
    private final ReferenceQueue<V> queue;
    /** What the cleaner's actions hold: the cache, weakly. */
    private final WeakReference<WeakValueCache<K, V>> self;
    /** What the {@link Expunger} holds weakly (without a cleaner); reachable from here, so it lives as long as this cache. */
    private final Expunger.Target expungeTarget;
    private final ConcurrentHashMap<K, Object> map = new ConcurrentHashMap<>();
    /** Counted exactly (atomic adds): none of them is on a path where the atomic add shows. */
    private final StripedCounters counters = new StripedCounters(7);
    /** The thread that drains the queue now, or {@code null}; set by CAS. */
    @SuppressWarnings("unused") // accessed through DRAINER
    private volatile Thread drainer;
    /** Threads inside {@link #cleanUp()}, so that one called again from the listener returns at once. */
    private final java.util.Set<Thread> cleaning = ConcurrentHashMap.newKeySet();

    /**
     * A new empty cache; {@link WeakValueCacheBuilder#build()} registers it with {@link Instruments}, never this constructor.
     *
     * @param name     its name, or {@code null} for a generated one
     * @param listener told of removals, or {@code null}
     * @param cleaner  removes collected entries promptly, or {@code null} to do it on later calls
     *                 and on the shared expunger thread
     */
    public WeakValueCache(String name, RemovalListener<? super K, ? super V> listener, Cleaner cleaner) {
        this.name = name != null ? name : "weak-cache-" + NAMES.incrementAndGet();
        this.listener = listener;
        this.cleaner = cleaner;
        this.queue = cleaner == null ? new ReferenceQueue<>() : null;
        this.self = cleaner == null ? null : new WeakReference<>(this);
        this.expungeTarget = cleaner == null ? new QueueTarget(this) : null;
        if (expungeTarget != null) {
            Expunger.register(expungeTarget);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(K key, Function<? super K, ? extends V> loader) {
        requireKey(key);
        if (loader == null) {
            throw new NullPointerException("loader must not be null");
        }
        Object current = map.get(key);
        if (current instanceof ValueRef) {
            // A hit does no expunging: the expunger thread and the other calls do it.
            V value = liveValue((ValueRef<K, V>) current);
            if (value != null) {
                return value;
            }
        }
        drain(DRAIN_BATCH);
        for (;;) {
            current = map.get(key);
            if (current instanceof ValueRef) {
                V value = liveValue((ValueRef<K, V>) current);
                if (value != null) {
                    return value;
                }
            } else if (current instanceof Loading) {
                Loading<K, V> pending = (Loading<K, V>) current;
                if (pending.owner == Thread.currentThread()) {
                    throw recursiveLoad(key);
                }
                ValueRef<K, V> override = pending.override;
                if (override != null) {
                    V value = liveValue(override);
                    if (value != null) {
                        return value;
                    }
                } else if (!pending.superseded) {
                    // Completes with the loader's outcome, or with the value of a put that comes first.
                    return await(pending);
                } else {
                    // A put completed this load early and its entry is gone again: load anew, but
                    // only once the loader still in flight has finished.
                    pending.finished.join();
                }
            } else if (current == null) {
                Loading<K, V> mine = new Loading<>(Thread.currentThread());
                if (map.putIfAbsent(key, mine) == null) {
                    counters.add(LOADING, 1);
                    counters.add(MISSES, 1);
                    return load(key, loader, mine);
                }
            }
        }
    }

    private IllegalStateException recursiveLoad(K key) {
        return new IllegalStateException("recursive load: the loader for key " + key
                + " asked the cache '" + name + "' for the same key");
    }

    private V load(K key, Function<? super K, ? extends V> loader, Loading<K, V> mine) {
        V value;
        try {
            value = loader.apply(key);
            if (value == null) {
                throw new NullPointerException("loader returned null for key " + key);
            }
        } catch (Throwable failure) {
            counters.add(LOAD_FAILURES, 1);
            finish(key, mine, null);
            if (!mine.superseded) {
                mine.future.completeExceptionally(failure);
            }
            mine.finished.complete(null);
            // After a put, its waiters got the put's value; this caller still sees its own loader's failure.
            throw failure;
        }
        counters.add(LOADS, 1);
        finish(key, mine, newRef(key, value));
        mine.finished.complete(null);
        if (mine.superseded) {
            // A put during the load won: its value is what every caller of this load gets.
            return mine.future.join();
        }
        mine.future.complete(value);
        return value;
    }

    /**
     * Takes the placeholder out of the map once its loader is done: the entry becomes the live
     * value put during the load if there is one; else the loaded value, unless a put came during
     * the load (its entry then left again, and the load's result is older than that put); else
     * none. {@code ref} is {@code null} when the loader failed.
     */
    private void finish(K key, Loading<K, V> mine, ValueRef<K, V> ref) {
        Object[] installed = {mine};
        map.compute(key, (k, current) -> {
            if (current != mine) {
                return current;
            }
            ValueRef<K, V> override = mine.override;
            Object next = override != null ? override : mine.superseded ? null : ref;
            installed[0] = next;
            return next;
        });
        Object next = installed[0];
        if (next == mine) {
            // Unreachable: only this method takes a placeholder out of the map.
            if (ref != null) {
                deregister(ref);
            }
            return;
        }
        if (next == null || next == ref) {
            // The placeholder stood for no entry; now it is gone, or it became the loaded value's entry.
            counters.add(LOADING, -1);
        }
        if (ref != null && next != ref) {
            deregister(ref);
        }
    }

    private V await(Loading<K, V> pending) {
        V value;
        try {
            value = pending.future.join();
        } catch (CompletionException failed) {
            counters.add(MISSES, 1);
            Throwable cause = failed.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw failed;
        }
        counters.add(HITS, 1);
        return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getIfPresent(K key) {
        requireKey(key);
        Object current = map.get(key);
        ValueRef<K, V> ref = current instanceof Loading ? ((Loading<K, V>) current).override : (ValueRef<K, V>) current;
        V value = ref != null ? liveValue(ref) : null;
        if (value != null) {
            return value;
        }
        counters.add(MISSES, 1);
        drain(DRAIN_BATCH);
        return null;
    }

    /** The value of an entry, counted as a hit; {@code null} once collected, and the entry is expunged. */
    private V liveValue(ValueRef<K, V> ref) {
        V value = ref.get();
        if (value != null) {
            counters.add(HITS, 1);
            return value;
        }
        expunge(ref);
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
            } else if (current instanceof Loading) {
                Loading<K, V> pending = (Loading<K, V>) current;
                Object[] previous = {pending};
                map.compute(key, (k, now) -> {
                    if (now == pending) {
                        previous[0] = pending.override;
                        pending.override = ref;
                        pending.superseded = true;
                    }
                    return now;
                });
                if (previous[0] == pending) {
                    continue;   // the load finished meanwhile
                }
                ValueRef<K, V> old = (ValueRef<K, V>) previous[0];
                if (old == null) {
                    counters.add(LOADING, -1);
                    // The first value put completes the load for its waiters; later ones change only the entry.
                    pending.future.complete(value);
                    return null;
                }
                return replaced(key, old, value);
            } else if (map.replace(key, current, ref)) {
                return replaced(key, (ValueRef<K, V>) current, value);
            }
        }
    }

    /** {@code old} was replaced by {@code value}'s entry: reports it and returns its live value. */
    private V replaced(K key, ValueRef<K, V> old, V value) {
        deregister(old);
        V oldValue = old.get();
        if (oldValue == null) {
            counters.add(COLLECTED, 1);
            notifyListener(key, null, RemovalCause.COLLECTED);
        } else if (oldValue != value) {
            notifyListener(key, oldValue, RemovalCause.REPLACED);
        }
        return oldValue;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(K key) {
        requireKey(key);
        drain(DRAIN_BATCH);
        for (;;) {
            Object current = map.get(key);
            ValueRef<K, V> ref;
            if (current instanceof ValueRef) {
                ref = (ValueRef<K, V>) current;
                if (!map.remove(key, ref)) {
                    continue;
                }
            } else if (current instanceof Loading) {
                ref = ((Loading<K, V>) current).override;
                if (ref == null) {
                    return null;   // a load in progress with no value put: nothing to remove
                }
                if (!clearOverride((Loading<K, V>) current, ref)) {
                    continue;
                }
            } else {
                return null;
            }
            deregister(ref);
            V value = ref.get();
            if (value == null) {
                counters.add(COLLECTED, 1);
                notifyListener(key, null, RemovalCause.COLLECTED);
            } else {
                counters.add(REMOVED, 1);
                notifyListener(key, value, RemovalCause.EXPLICIT);
            }
            return value;
        }
    }

    /**
     * Drops the value put during a load from its placeholder, if the map still holds the
     * placeholder and it still holds {@code ref}; the placeholder then stands for no entry again.
     */
    private boolean clearOverride(Loading<K, V> pending, ValueRef<K, V> ref) {
        boolean[] cleared = new boolean[1];
        map.compute(ref.key, (k, now) -> {
            if (now == pending && pending.override == ref) {
                pending.override = null;
                cleared[0] = true;
            }
            return now;
        });
        if (cleared[0]) {
            counters.add(LOADING, 1);
        }
        return cleared[0];
    }

    @Override
    public int size() {
        drain(DRAIN_BATCH);
        return (int) Math.min(Integer.MAX_VALUE, entries());
    }

    private long entries() {
        return Math.max(0, map.mappingCount() - counters.sum(LOADING));
    }

    @Override
    public void cleanUp() {
        if (queue == null) {
            return;
        }
        Thread me = Thread.currentThread();
        if (DRAINER.getVolatile(this) == me || !cleaning.add(me)) {
            return;   // called from the listener during this thread's own drain, which goes on
        }
        // Drains even while another thread holds the drainer slot (that one only drains a batch);
        // the listener's calls back into the cache then find this thread in cleaning, or the
        // slot taken, and do not drain again.
        boolean owner = DRAINER.compareAndSet(this, null, me);
        try {
            poll(Integer.MAX_VALUE);
        } finally {
            if (owner) {
                DRAINER.setVolatile(this, null);
            }
            cleaning.remove(me);
        }
    }

    @Override
    public WeakCacheStats stats() {
        return new WeakCacheStats(counters.sum(HITS), counters.sum(MISSES), counters.sum(LOADS),
                counters.sum(LOAD_FAILURES), counters.sum(COLLECTED), counters.sum(REMOVED), entries());
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

    /**
     * Expunges at most {@code max} collected entries, unless another drain runs (on another thread,
     * or on this one when a listener calls back into the cache): that one does the work.
     *
     * @return the references polled
     */
    int drain(int max) {
        if (queue == null || !DRAINER.compareAndSet(this, null, Thread.currentThread())) {
            return 0;
        }
        try {
            return poll(max);
        } finally {
            DRAINER.setVolatile(this, null);
        }
    }

    @SuppressWarnings("unchecked")
    private int poll(int max) {
        int n = 0;
        for (Reference<? extends V> ref; n < max && (ref = queue.poll()) != null; n++) {
            expunge((ValueRef<K, V>) ref);
        }
        return n;
    }

    /** Removes a collected value's entry, if the map still holds it, and tells the listener once. */
    @SuppressWarnings("unchecked")
    void expunge(ValueRef<K, V> ref) {
        boolean removed = map.remove(ref.key, ref);
        if (!removed) {
            Object current = map.get(ref.key);
            removed = current instanceof Loading && ((Loading<K, V>) current).override == ref
                    && clearOverride((Loading<K, V>) current, ref);
        }
        if (removed) {
            deregister(ref);
            counters.add(COLLECTED, 1);
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

    /** The cache's queue as the {@link Expunger} sees it. */
    private static final class QueueTarget implements Expunger.Target {
        private final WeakValueCache<?, ?> cache;

        QueueTarget(WeakValueCache<?, ?> cache) {
            this.cache = cache;
        }

        @Override
        public int expungeStep() {
            return cache.drain(DRAIN_BATCH);
        }

        @Override
        public String toString() {
            return "the queue of cache '" + cache.name + "'";
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

    /**
     * A load in progress: the loading thread, the future its waiters join, and what a put during
     * the load left. {@link #override} and {@link #superseded} change only inside a
     * {@code map.compute} on the key while the map holds this placeholder, so they never change
     * after {@link WeakValueCache#finish} took it out.
     */
    static final class Loading<K, V> {
        final Thread owner;
        /** Completed by the first put during the load, or else with the loader's outcome. */
        final CompletableFuture<V> future = new CompletableFuture<>();
        /** Completed once the loader returned or threw and this placeholder left the map. */
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        /** The entry of the latest live value put during the load, or {@code null}. */
        volatile ValueRef<K, V> override;
        /** Whether a put came during the load: the loader's result then never becomes the entry. */
        volatile boolean superseded;

        Loading(Thread owner) {
            this.owner = owner;
        }
    }
}
