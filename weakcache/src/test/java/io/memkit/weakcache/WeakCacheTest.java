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
                () -> !removals.isEmpty(), () -> cache.getIfPresent("kept"));
        assertThat(removals).extracting(Removal::key, Removal::value, Removal::cause)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dropped", null, RemovalCause.COLLECTED));
        assertThat(removals.peek().thread()).isSameAs(Thread.currentThread());
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
        loader.join();
        for (Thread t : threads) {
            t.join();
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
        loader.join();
        w1.join();
        w2.join();
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
        loader.join();
        assertThat(got.get()).isSameAs(put);
        assertThat(cache.getIfPresent("k")).isSameAs(put);
        assertThat(removals).isEmpty();
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
