package io.memkit.weakcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.meter.Instruments;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class WeakCacheTest {

    /** A value whose identity the tests follow. */
    static final class Value {
        final String label;

        Value(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return "Value(" + label + ")";
        }
    }

    /** One listener call. */
    record Removal(Object key, Object value, RemovalCause cause, Thread thread) {
    }

    private final Queue<Removal> removals = new ConcurrentLinkedQueue<>();

    private WeakCache<String, Value> recordingCache() {
        return WeakCache.<String, Value>builder()
                .removalListener((k, v, cause) -> removals.add(new Removal(k, v, cause, Thread.currentThread())))
                .build();
    }

    @Test
    void getLoadsOnceThenHits() {
        WeakCache<String, Value> cache = recordingCache();
        AtomicInteger calls = new AtomicInteger();
        Value v = cache.get("a", k -> {
            calls.incrementAndGet();
            return new Value(k);
        });
        assertThat(cache.get("a", k -> new Value("other"))).isSameAs(v);
        assertThat(cache.getIfPresent("a")).isSameAs(v);
        assertThat(cache.getIfPresent("b")).isNull();
        assertThat(calls).hasValue(1);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.stats()).isEqualTo(new WeakCacheStats(2, 2, 1, 0, 0, 0, 1));
        assertThat(removals).isEmpty();
    }

    @Test
    void nullsAreRejectedWithMessages() {
        WeakCache<String, Value> cache = recordingCache();
        assertThatThrownBy(() -> cache.get(null, k -> new Value("x"))).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> cache.get("k", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("loader");
        assertThatThrownBy(() -> cache.getIfPresent(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> cache.put(null, new Value("x"))).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("value");
        assertThatThrownBy(() -> cache.remove(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> cache.get("k", k -> null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("loader returned null for key k");
        assertThatThrownBy(() -> WeakCache.builder().name(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> WeakCache.builder().removalListener(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> WeakCache.builder().cleaner(null)).isInstanceOf(NullPointerException.class);
        assertThat(cache.size()).isZero();
        assertThat(cache.stats().loadFailures()).isEqualTo(1);
    }

    @Test
    void removeAndReplaceTellTheListener() {
        WeakCache<String, Value> cache = recordingCache();
        Value first = new Value("first");
        Value second = new Value("second");
        assertThat(cache.put("k", first)).isNull();
        assertThat(cache.put("k", second)).isSameAs(first);
        assertThat(cache.remove("k")).isSameAs(second);
        assertThat(cache.remove("k")).isNull();
        assertThat(removals).extracting(Removal::key, Removal::value, Removal::cause).containsExactly(
                org.assertj.core.groups.Tuple.tuple("k", first, RemovalCause.REPLACED),
                org.assertj.core.groups.Tuple.tuple("k", second, RemovalCause.EXPLICIT));
        assertThat(cache.stats().removed()).isEqualTo(1);
        assertThat(cache.size()).isZero();
    }

    @Test
    void collectedValueLeavesOnLaterUseAndTheListenerGetsTheKey() {
        WeakCache<String, Value> cache = recordingCache();
        Value kept = new Value("kept");
        cache.put("kept", kept);
        cache.put("dropped", new Value("dropped"));
        assertThat(cache.size()).isEqualTo(2);
        Collect.until("the dropped value's entry to leave, removals " + removals,
                () -> !removals.isEmpty(), () -> cache.getIfPresent("absent"));
        assertThat(removals).extracting(Removal::key, Removal::value, Removal::cause)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dropped", null, RemovalCause.COLLECTED));
        // This thread's calls or the shared expunger thread, whichever got there first.
        assertThat(removals.peek().thread()).matches(
                t -> t == Thread.currentThread() || t.getName().startsWith("memkit-expunger-"), "caller or expunger");
        assertThat(cache.getIfPresent("dropped")).isNull();
        assertThat(cache.getIfPresent("kept")).isSameAs(kept);
        assertThat(cache.stats().collected()).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void cleanUpRemovesEveryCollectedEntry() {
        WeakCache<String, Value> cache = recordingCache();
        int n = 500;
        for (int i = 0; i < n; i++) {
            cache.put("k" + i, new Value("v" + i));
        }
        Collect.until("500 collected entries to leave, stats " + cache.stats(),
                () -> cache.stats().collected() == n, cache::cleanUp);
        assertThat(cache.stats().size()).isZero();
        assertThat(removals).hasSize(n).allMatch(r -> r.cause() == RemovalCause.COLLECTED && r.value() == null);
    }

    @Test
    void withACleanerCollectedEntriesLeaveWithoutAnyCall() {
        Cleaner cleaner = Cleaner.create();
        WeakCache<String, Value> cache = WeakCache.<String, Value>builder().name("with-cleaner")
                .removalListener((k, v, cause) -> removals.add(new Removal(k, v, cause, Thread.currentThread())))
                .cleaner(cleaner)
                .build();
        Value kept = new Value("kept");
        cache.put("kept", kept);
        cache.get("dropped", k -> new Value(k));
        Value old = new Value("old");
        cache.put("replaced", old);
        cache.put("replaced", new Value("new"));
        // No call on the cache while waiting: only the cleaner's thread can remove the entries.
        Collect.until("the cleaner to remove 2 entries, removals " + removals,
                () -> removals.stream().filter(r -> r.cause() == RemovalCause.COLLECTED).count() == 2, () -> { });
        assertThat(removals).filteredOn(r -> r.cause() == RemovalCause.COLLECTED)
                .extracting(Removal::key).containsExactlyInAnyOrder("dropped", "replaced");
        assertThat(removals).filteredOn(r -> r.cause() == RemovalCause.COLLECTED)
                .allMatch(r -> r.value() == null && r.thread() != Thread.currentThread());
        assertThat(cache.stats().collected()).isEqualTo(2);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(removals).filteredOn(r -> r.cause() == RemovalCause.REPLACED).extracting(Removal::value)
                .containsExactly(old);
        assertThat(cache.remove("kept")).isSameAs(kept);
        // The explicit removal deregistered the value: it is reported once, as EXPLICIT.
        assertThat(removals).filteredOn(r -> r.key().equals("kept")).extracting(Removal::cause)
                .containsExactly(RemovalCause.EXPLICIT);
    }

    @Test
    void throwingListenerIsLoggedAndTheCacheKeepsWorking() {
        Logger logger = Logger.getLogger(WeakCache.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        boolean parents = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        try {
            WeakCache<String, Value> cache = WeakCache.<String, Value>builder().name("throwing-listener")
                    .removalListener((k, v, cause) -> {
                        throw new IllegalStateException("listener broke on " + k);
                    })
                    .build();
            Value a = new Value("a");
            cache.put("k", a);
            assertThat(cache.remove("k")).isSameAs(a);
            assertThat(cache.size()).isZero();
            Value b = cache.get("k", Value::new);
            assertThat(cache.getIfPresent("k")).isSameAs(b);
            assertThat(cache.stats().removed()).isEqualTo(1);
        } finally {
            logger.setUseParentHandlers(parents);
            logger.removeHandler(handler);
        }
        assertThat(records).hasSize(1);
        assertThat(records.get(0).getMessage()).contains("throwing-listener").contains("EXPLICIT");
        assertThat(records.get(0).getThrown()).hasMessage("listener broke on k");
    }

    @Test
    void concurrentCallersWaitForOneLoad() throws Exception {
        WeakCache<String, Value> cache = recordingCache();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        int waiters = 4;
        List<Thread> threads = new ArrayList<>();
        Queue<Object> results = new ConcurrentLinkedQueue<>();
        Thread loader = startThread(() -> results.add(cache.get("k", k -> {
            loads.incrementAndGet();
            await(release);
            return new Value(k);
        })));
        awaitState(loader, Thread.State.WAITING);
        for (int i = 0; i < waiters; i++) {
            threads.add(startThread(() -> results.add(cache.get("k", k -> {
                loads.incrementAndGet();
                return new Value("second load");
            }))));
        }
        for (Thread t : threads) {
            awaitState(t, Thread.State.WAITING);
        }
        release.countDown();
        Collect.join(loader);
        for (Thread t : threads) {
            Collect.join(t);
        }
        assertThat(loads).hasValue(1);
        assertThat(results).hasSize(waiters + 1).containsOnly(cache.getIfPresent("k"));
        assertThat(cache.stats().loads()).isEqualTo(1);
    }

    @Test
    void loaderFailureReachesEveryWaiterAndLeavesNoEntry() throws Exception {
        WeakCache<String, Value> cache = recordingCache();
        CountDownLatch release = new CountDownLatch(1);
        IllegalArgumentException failure = new IllegalArgumentException("cannot load");
        Queue<Throwable> thrown = new ConcurrentLinkedQueue<>();
        Runnable caller = () -> {
            try {
                cache.get("k", k -> {
                    await(release);
                    throw failure;
                });
            } catch (Throwable t) {
                thrown.add(t);
            }
        };
        Thread loader = startThread(caller);
        awaitState(loader, Thread.State.WAITING);
        Thread w1 = startThread(caller);
        Thread w2 = startThread(caller);
        awaitState(w1, Thread.State.WAITING);
        awaitState(w2, Thread.State.WAITING);
        release.countDown();
        Collect.join(loader);
        Collect.join(w1);
        Collect.join(w2);
        assertThat(thrown).hasSize(3).allMatch(t -> t == failure);
        assertThat(cache.getIfPresent("k")).isNull();
        assertThat(cache.size()).isZero();
        assertThat(cache.stats().loadFailures()).isEqualTo(1);
        assertThat(cache.stats().loads()).isZero();
        Value v = cache.get("k", Value::new);
        assertThat(cache.getIfPresent("k")).isSameAs(v);
    }

    @Test
    void putDuringALoadWinsForEveryCaller() throws Exception {
        WeakCache<String, Value> cache = recordingCache();
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Value> got = new AtomicReference<>();
        Thread loader = startThread(() -> got.set(cache.get("k", k -> {
            await(release);
            return new Value("loaded");
        })));
        awaitState(loader, Thread.State.WAITING);
        assertThat(cache.size()).as("a load in progress is not an entry").isZero();
        assertThat(cache.remove("k")).as("remove leaves a load in progress alone").isNull();
        Value put = new Value("put");
        assertThat(cache.put("k", put)).isNull();
        release.countDown();
        Collect.join(loader);
        assertThat(got.get()).isSameAs(put);
        assertThat(cache.getIfPresent("k")).isSameAs(put);
        assertThat(removals).isEmpty();
    }

    /**
     * A put then a remove while a load runs leave the key loading: a second get must wait for the
     * first loader and only then run its own, never two loaders of one key at once.
     */
    @Test
    void putThenRemoveDuringALoadStartsNoSecondLoaderBeforeTheFirstReturns() throws Exception {
        WeakCache<String, Value> cache = recordingCache();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicReference<Value> firstGot = new AtomicReference<>();
        AtomicReference<Value> secondGot = new AtomicReference<>();
        Value loadedFirst = new Value("loaded by the first loader");
        Value loadedSecond = new Value("loaded by the second loader");
        Thread first = startThread(() -> firstGot.set(cache.get("k", k -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            firstStarted.countDown();
            await(releaseFirst);
            running.decrementAndGet();
            return loadedFirst;
        })));
        await(firstStarted);
        Value put = new Value("put");
        assertThat(cache.put("k", put)).isNull();
        assertThat(cache.getIfPresent("k")).as("the put's value is visible during the load").isSameAs(put);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.remove("k")).isSameAs(put);
        assertThat(cache.getIfPresent("k")).isNull();
        assertThat(cache.size()).as("a load in progress with no value is not an entry").isZero();
        Thread second = startThread(() -> secondGot.set(cache.get("k", k -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            running.decrementAndGet();
            return loadedSecond;
        })));
        awaitState(second, Thread.State.WAITING);
        assertThat(mostAtOnce).as("the second loader has not started").hasValue(1);
        releaseFirst.countDown();
        Collect.join(first);
        Collect.join(second);
        assertThat(mostAtOnce).as("loaders of one key running at once").hasValue(1);
        assertThat(firstGot.get()).as("the first caller gets the put that completed its load").isSameAs(put);
        assertThat(secondGot.get()).isSameAs(loadedSecond);
        assertThat(cache.getIfPresent("k")).as("the first loader's result never became the entry").isSameAs(loadedSecond);
        assertThat(cache.stats().loads()).isEqualTo(2);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(removals).extracting(Removal::value, Removal::cause)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(put, RemovalCause.EXPLICIT));
    }

    /** Real threads mixing get, put and remove on a few keys: never two loaders of one key at once. */
    @Test
    void concurrentGetsPutsAndRemovesNeverRunTwoLoadersOfOneKey() throws Exception {
        WeakCache<Integer, Value> cache = WeakCache.<Integer, Value>builder().build();
        int keys = 4;
        java.util.concurrent.atomic.AtomicIntegerArray running = new java.util.concurrent.atomic.AtomicIntegerArray(keys);
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger loads = new AtomicInteger();
        Value[] held = new Value[keys * 64];    // keeps values alive, so entries stay until removed
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            threads.add(startThread(() -> {
                java.util.Random random = new java.util.Random(seed);
                try {
                    await(start);
                    for (int n = 0; n < 20_000; n++) {
                        int key = random.nextInt(keys);
                        int op = random.nextInt(10);
                        if (op < 6) {
                            Value v = cache.get(key, k -> {
                                if (running.incrementAndGet(k) > 1) {
                                    overlaps.incrementAndGet();
                                }
                                loads.incrementAndGet();
                                Thread.yield();     // widen the window for a racing put and remove
                                running.decrementAndGet(k);
                                return new Value("loaded " + k);
                            });
                            held[random.nextInt(held.length)] = v;
                        } else if (op < 8) {
                            Value v = new Value("put " + key);
                            held[random.nextInt(held.length)] = v;
                            cache.put(key, v);
                        } else {
                            cache.remove(key);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            Collect.join(t);
        }
        assertThat(failures).isEmpty();
        assertThat(loads.get()).as("the run did load").isPositive();
        assertThat(overlaps).as("loads that started while another load of the key ran").hasValue(0);
        assertThat(cache.size()).isBetween(0, keys);
    }

    /**
     * Collected values leave a cache built without a cleaner with no further call on it: the
     * shared expunger thread removes them and tells the listener.
     */
    @Test
    void withoutACleanerCollectedEntriesLeaveWithoutFurtherCalls() {
        AtomicInteger collectedTold = new AtomicInteger();
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        WeakCache<Integer, Value> cache = WeakCache.<Integer, Value>builder().name("expunged-cache")
                .removalListener((k, v, cause) -> {
                    if (cause == RemovalCause.COLLECTED) {
                        collectedTold.incrementAndGet();
                        threads.add(Thread.currentThread().getName());
                    }
                })
                .build();
        int live = 1000;
        int dropped = 100_000;
        List<Value> kept = new ArrayList<>();
        for (int i = 0; i < live; i++) {
            Value v = new Value("live-" + i);
            kept.add(v);
            cache.put(i, v);
        }
        java.lang.ref.WeakReference<?>[] watch = new java.lang.ref.WeakReference<?>[dropped];
        for (int i = 0; i < dropped; i++) {
            Value v = new Value("dropped-" + i);
            watch[i] = new java.lang.ref.WeakReference<>(v);
            cache.put(live + i, v);
        }
        // Young collections during the loop may already have cleared and expunged some.
        assertThat(cache.stats().size()).isBetween((long) live, (long) live + dropped);
        long misses = cache.stats().misses();
        Collect.until("the 100,000 dropped values to be cleared",
                () -> java.util.Arrays.stream(watch).allMatch(w -> w.refersTo(null)), () -> { });
        // stats() does no expunging of its own, unlike size().
        long millis = Collect.within("the cache's size to fall to the " + live + " live entries with no call on it",
                10_000, () -> cache.stats().size() == live);
        assertThat(cache.stats().collected()).isEqualTo(dropped);
        assertThat(collectedTold).hasValue(dropped);
        // Puts during the fill drain batches too; after it, only the expunger thread was left to tell.
        assertThat(threads).anyMatch(name -> name.startsWith("memkit-expunger-"));
        assertThat(cache.stats().misses()).isEqualTo(misses);
        for (int i = 0; i < live; i++) {
            assertThat(cache.getIfPresent(i)).isSameAs(kept.get(i));
        }
        System.out.println("expunged " + dropped + " cache entries " + millis + " ms after the collection cleared them");
    }

    /** The expunger holds a cache weakly: a dropped cache is collected. */
    @Test
    void aDroppedCacheIsCollected() {
        WeakCache<String, Value> cache = WeakCache.<String, Value>builder().build();
        Value v = new Value("v");
        cache.put("k", v);
        java.lang.ref.WeakReference<WeakCache<String, Value>> ref = new java.lang.ref.WeakReference<>(cache);
        cache = null;
        Collect.until("the dropped cache to be collected", () -> ref.refersTo(null), () -> { });
        assertThat(v.label).isEqualTo("v");
    }

    /**
     * A listener that calls back into the cache on every removal (get, put, remove, size, cleanUp,
     * for its own key and others) neither deadlocks, nor recurses without bound while thousands of
     * collected entries are drained, nor loses an entry or a report.
     */
    @Test
    void aRemovalListenerMayCallBackIntoTheCache() throws Exception {
        Queue<Removal> told = new ConcurrentLinkedQueue<>();
        AtomicReference<WeakCache<String, Value>> self = new AtomicReference<>();
        Value sideValue = new Value("side");
        WeakCache<String, Value> cache = WeakCache.<String, Value>builder()
                .removalListener((k, v, cause) -> {
                    told.add(new Removal(k, v, cause, Thread.currentThread()));
                    WeakCache<String, Value> c = self.get();
                    c.getIfPresent(k);
                    c.size();
                    c.cleanUp();
                    c.get("side", x -> sideValue);
                    c.put("side", sideValue);
                    if (cause != RemovalCause.COLLECTED) {
                        c.remove("absent-" + k);
                    }
                })
                .build();
        self.set(cache);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread worker = startThread(() -> {
            try {
                Value a = new Value("a");
                Value b = new Value("b");
                cache.put("k", a);
                cache.put("k", b);                      // REPLACED, listener calls back
                assertThat(cache.remove("k")).isSameAs(b);  // EXPLICIT, listener calls back
                int n = 5000;
                for (int i = 0; i < n; i++) {
                    cache.put("dropped-" + i, new Value("d" + i));
                }
                // COLLECTED, on this thread (cleanUp) or the expunger's; each report calls back.
                Collect.until("5000 collected entries to leave, stats " + cache.stats(),
                        () -> cache.stats().collected() == n, cache::cleanUp);
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        Collect.join(worker);
        assertThat(failures).isEmpty();
        assertThat(told).filteredOn(r -> r.cause() == RemovalCause.REPLACED).extracting(Removal::key).containsExactly("k");
        assertThat(told).filteredOn(r -> r.cause() == RemovalCause.EXPLICIT).extracting(Removal::key).containsExactly("k");
        assertThat(told).filteredOn(r -> r.cause() == RemovalCause.COLLECTED).hasSize(5000)
                .extracting(Removal::key).doesNotHaveDuplicates();
        assertThat(cache.getIfPresent("side")).isSameAs(sideValue);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.stats().collected()).isEqualTo(5000);
    }

    @Test
    void recursiveLoadOfTheSameKeyFails() {
        WeakCache<String, Value> cache = recordingCache();
        assertThatThrownBy(() -> cache.get("k", k -> cache.get("k", Value::new)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("recursive load");
        assertThat(cache.size()).isZero();
        assertThat(cache.get("other", k -> cache.get("inner", Value::new))).isNotNull();
    }

    @Test
    void registersWithInstruments() {
        WeakCache<String, Value> cache = WeakCache.<String, Value>builder().name("instrumented-cache").build();
        Value v = cache.get("k", Value::new);
        assertThat(Instruments.all()).contains(cache);
        assertThat(cache.type()).isEqualTo("WeakCache");
        assertThat(cache.counters()).containsOnlyKeys("hits", "misses", "loads", "loadFailures", "collected",
                "removed", "size").containsEntry("loads", 1L).containsEntry("size", 1L);
        assertThat(cache.getIfPresent("k")).isSameAs(v);
    }

    /** Many virtual threads wait for one load; were waiting to pin carriers, they could not all wait. */
    @Test
    void waitingForALoadDoesNotPinVirtualThreads() throws Throwable {
        MethodHandle ofVirtual;
        MethodHandle unstarted;
        try {
            ofVirtual = MethodHandles.publicLookup().findStatic(Thread.class, "ofVirtual",
                    MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
            unstarted = MethodHandles.publicLookup().findVirtual(Class.forName("java.lang.Thread$Builder"),
                    "unstarted", MethodType.methodType(Thread.class, Runnable.class));
        } catch (ReflectiveOperationException absent) {
            Assumptions.abort("virtual threads need JDK 21+: " + absent);
            return;
        }
        WeakCache<String, Value> cache = recordingCache();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        Queue<Value> results = new ConcurrentLinkedQueue<>();
        int n = 4 * Runtime.getRuntime().availableProcessors() + 16;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = (Thread) unstarted.invoke(ofVirtual.invoke(), (Runnable) () -> results.add(cache.get("k", k -> {
                loads.incrementAndGet();
                await(release);
                return new Value(k);
            })));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            awaitState(t, Thread.State.WAITING);
        }
        release.countDown();
        for (Thread t : threads) {
            t.join(10_000);
            assertThat(t.isAlive()).as("%s still running after 10 s", t).isFalse();
        }
        assertThat(loads).hasValue(1);
        assertThat(results).hasSize(n).containsOnly(cache.getIfPresent("k"));
    }

    private static Thread startThread(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released within 10 s");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Spins (yielding) until {@code t} parks, for at most 10 s. */
    private static void awaitState(Thread t, Thread.State state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != state && t.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t + " did not reach " + state + " within 10 s; it is " + t.getState());
            }
            Thread.yield();
        }
    }
}
