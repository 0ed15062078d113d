package io.memkit.pools.internal;

import io.memkit.meter.internal.Stripes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.meter.Instruments;
import io.memkit.pools.Exhausted;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.ObjectPool;
import io.memkit.pools.ObjectPoolStats;
import io.memkit.pools.PoolExhaustedException;
import io.memkit.pools.Pooled;
import io.memkit.testing.LeakyObjectHolder;
import io.memkit.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StripedObjectPoolTest {

    /** A pooled object that counts its instances and knows whether it was closed. */
    static final class Resource implements AutoCloseable {
        static final AtomicInteger MADE = new AtomicInteger();
        final int id = MADE.incrementAndGet();
        final StringBuilder text = new StringBuilder();
        volatile int closes;
        RuntimeException failOnClose;

        @Override
        public void close() {
            closes++;
            if (failOnClose != null) {
                throw failOnClose;
            }
        }
    }

    private final List<ObjectPool<?>> pools = new ArrayList<>();

    private <T> ObjectPool<T> track(ObjectPool<T> pool) {
        pools.add(pool);
        return pool;
    }

    private ObjectPool.Builder<Resource> resources() {
        return ObjectPool.builder(Resource::new).leakDetection(LeakDetection.OFF);
    }

    @AfterEach
    void closePools() {
        pools.forEach(ObjectPool::close);
    }

    private static ObjectPoolStats stats(ObjectPool<?> pool) {
        return pool.stats();
    }

    // ---------------------------------------------------------------- lending and reuse

    @Test
    void aClosedLoanIsReusedByTheNextAcquire() {
        ObjectPool<Resource> pool = track(resources().build());
        Resource first;
        try (Pooled<Resource> p = pool.acquire()) {
            first = p.get();
        }
        try (Pooled<Resource> p = pool.acquire()) {
            assertThat(p.get()).isSameAs(first);
        }
        assertThat(stats(pool)).isEqualTo(new ObjectPoolStats(2, 2, 1, 1, 0, 1, 0, 1, 0, 0));
    }

    @Test
    void heldObjectsAreNeverLentTwice() {
        ObjectPool<Resource> pool = track(resources().build());
        Map<Resource, Boolean> seen = new IdentityHashMap<>();
        List<Pooled<Resource>> held = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Pooled<Resource> p = pool.acquire();
            assertThat(seen.put(p.get(), true)).as("object lent twice").isNull();
            held.add(p);
        }
        held.forEach(Pooled::close);
        ObjectPoolStats s = stats(pool);
        assertThat(s.created()).isEqualTo(100);
        assertThat(s.inUse()).isZero();
        assertThat(s.peakInUse()).isEqualTo(100);
        assertThat(s.idle() + s.discarded()).isEqualTo(100);
    }

    @Test
    void closeRunsResetThenValidate() {
        List<String> calls = new ArrayList<>();
        ObjectPool<Resource> pool = track(resources()
                .reset(r -> {
                    calls.add("reset");
                    r.text.setLength(0);
                })
                .validate(r -> {
                    calls.add("validate:" + r.text.length());
                    return true;
                })
                .build());
        try (Pooled<Resource> p = pool.acquire()) {
            p.get().text.append("dirty");
            assertThat(calls).isEmpty();
        }
        assertThat(calls).containsExactly("reset", "validate:0");
    }

    @Test
    void anObjectThatFailsValidationIsDiscardedAndClosed() {
        ObjectPool<Resource> pool = track(resources().validate(r -> r.text.length() < 3).build());
        Resource big;
        try (Pooled<Resource> p = pool.acquire()) {
            big = p.get();
            big.text.append("too long");
        }
        assertThat(big.closes).isEqualTo(1);
        try (Pooled<Resource> p = pool.acquire()) {
            assertThat(p.get()).isNotSameAs(big);
        }
        assertThat(stats(pool)).isEqualTo(new ObjectPoolStats(2, 2, 2, 0, 1, 1, 0, 1, 0, 0));
    }

    @Test
    void maxIdleCapsTheIdleObjects() {
        ObjectPool<Resource> pool = track(resources().maxIdle(3).build());
        List<Pooled<Resource>> held = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            held.add(pool.acquire());
        }
        List<Resource> objects = new ArrayList<>();
        held.forEach(p -> objects.add(p.get()));
        held.forEach(Pooled::close);
        ObjectPoolStats s = stats(pool);
        assertThat(s.idle()).isEqualTo(3);
        assertThat(s.discarded()).isEqualTo(7);
        assertThat(s.releases()).isEqualTo(10);
        assertThat(objects.stream().filter(r -> r.closes == 1).count()).isEqualTo(7);
    }

    @Test
    void maxIdleZeroNeverReuses() {
        ObjectPool<Resource> pool = track(resources().maxIdle(0).build());
        Resource first;
        try (Pooled<Resource> p = pool.acquire()) {
            first = p.get();
        }
        try (Pooled<Resource> p = pool.acquire()) {
            assertThat(p.get()).isNotSameAs(first);
        }
        assertThat(stats(pool)).isEqualTo(new ObjectPoolStats(2, 2, 2, 0, 2, 0, 0, 1, 0, 0));
    }

    @Test
    void objectsReleasedOnOtherThreadsAreFoundBeforeTheCapIsHit() throws Exception {
        ObjectPool<Resource> pool = track(resources().maxTotal(6).whenExhausted(Exhausted.FAIL).build());
        List<Pooled<Resource>> held = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            held.add(pool.acquire());
        }
        ExecutorService releasers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Pooled<Resource> p : held) {
                done.add(releasers.submit(p::close));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            releasers.shutdown();
        }
        held.clear();
        for (int i = 0; i < 6; i++) {
            held.add(pool.acquire()); // FAIL would throw if an idle object were stranded in another stripe
        }
        assertThat(stats(pool).created()).isEqualTo(6);
        assertThat(stats(pool).reused()).isEqualTo(6);
        held.forEach(Pooled::close);
    }

    @Test
    void aHandleClosedOnAnotherThreadReturnsItsObject() throws Exception {
        ObjectPool<Resource> pool = track(resources().build());
        Pooled<Resource> p = pool.acquire();
        Resource object = p.get();
        CompletableFuture.runAsync(p::close).get(30, TimeUnit.SECONDS);
        assertThat(p.isReleased()).isTrue();
        try (Pooled<Resource> again = pool.acquire()) {
            assertThat(again.get()).isSameAs(object);
        }
    }

    // ---------------------------------------------------------------- handles after close

    @Test
    void getAfterCloseThrows() {
        ObjectPool<Resource> pool = track(resources().name("scratch").build());
        Pooled<Resource> p = pool.acquire();
        assertThat(p.isReleased()).isFalse();
        p.close();
        assertThat(p.isReleased()).isTrue();
        assertThatThrownBy(p::get).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released").hasMessageContaining("scratch");
    }

    @Test
    void aSecondCloseThrowsAndChangesNothing() {
        ObjectPool<Resource> pool = track(resources().build());
        Pooled<Resource> p = pool.acquire();
        p.close();
        ObjectPoolStats before = stats(pool);
        assertThatThrownBy(p::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("released");
        assertThat(stats(pool)).isEqualTo(before);
        // the object went back once: two loans now get two different objects
        try (Pooled<Resource> a = pool.acquire(); Pooled<Resource> b = pool.acquire()) {
            assertThat(a.get()).isNotSameAs(b.get());
        }
    }

    @Test
    void aStaleHandleCannotTouchTheNextLoanOfTheSameObject() {
        ObjectPool<Resource> pool = track(resources().build());
        Pooled<Resource> stale = pool.acquire();
        Resource object = stale.get();
        stale.close();
        try (Pooled<Resource> current = pool.acquire()) {
            assertThat(current.get()).isSameAs(object);
            assertThat(stale.isReleased()).isTrue();
            assertThatThrownBy(stale::get).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(stale::close).isInstanceOf(IllegalStateException.class);
            assertThat(current.isReleased()).isFalse();
            assertThat(current.get()).isSameAs(object);
        }
        assertThat(stats(pool).inUse()).isZero();
        assertThat(stats(pool).releases()).isEqualTo(2);
    }

    @Test
    void concurrentClosesOfOneHandleReleaseItOnce() throws Exception {
        ObjectPool<Resource> pool = track(resources().build());
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                Pooled<Resource> p = pool.acquire();
                CyclicBarrier start = new CyclicBarrier(2);
                AtomicInteger failures = new AtomicInteger();
                Runnable closer = () -> {
                    try {
                        start.await(30, TimeUnit.SECONDS);
                        p.close();
                    } catch (IllegalStateException e) {
                        failures.incrementAndGet();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                };
                Future<?> a = two.submit(closer);
                Future<?> b = two.submit(closer);
                a.get(30, TimeUnit.SECONDS);
                b.get(30, TimeUnit.SECONDS);
                assertThat(failures).as("round %d", round).hasValue(1);
            }
        } finally {
            two.shutdown();
        }
        ObjectPoolStats s = stats(pool);
        assertThat(s.releases()).isEqualTo(200);
        assertThat(s.inUse()).isZero();
        assertThat(s.idle()).isEqualTo(s.created() - s.discarded());
        try (Pooled<Resource> a = pool.acquire(); Pooled<Resource> b = pool.acquire()) {
            assertThat(a.get()).isNotSameAs(b.get());
        }
    }

    // ---------------------------------------------------------------- user code that throws

    @Test
    void aFactoryExceptionReachesTheCallerAndGivesThePermitBack() {
        IllegalStateException boom = new IllegalStateException("factory down");
        AtomicInteger calls = new AtomicInteger();
        Supplier<Resource> factory = () -> {
            if (calls.incrementAndGet() == 1) {
                throw boom;
            }
            return new Resource();
        };
        ObjectPool<Resource> pool = track(ObjectPool.builder(factory).maxTotal(1).whenExhausted(Exhausted.FAIL)
                .leakDetection(LeakDetection.OFF).build());
        assertThatThrownBy(pool::acquire).isSameAs(boom);
        assertThat(stats(pool)).isEqualTo(new ObjectPoolStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        try (Pooled<Resource> p = pool.acquire()) { // the permit came back: maxTotal 1 still allows one
            assertThat(p.get()).isNotNull();
        }
        assertThat(stats(pool)).isEqualTo(new ObjectPoolStats(1, 1, 1, 0, 0, 1, 0, 1, 0, 0));
    }

    @Test
    void aFactoryReturningNullIsRejected() {
        ObjectPool<Resource> pool = track(ObjectPool.<Resource>builder(() -> null).name("nulls").maxTotal(1)
                .whenExhausted(Exhausted.FAIL).build());
        assertThatThrownBy(pool::acquire).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("nulls").hasMessageContaining("factory returned null");
        assertThatThrownBy(pool::acquire).isInstanceOf(NullPointerException.class); // not exhausted: permit back
        assertThat(stats(pool).created()).isZero();
        assertThat(stats(pool).exhausted()).isZero();
    }

    @Test
    void aResetExceptionReachesTheCallerAndTheObjectIsDiscarded() {
        RuntimeException boom = new UnsupportedOperationException("cannot reset");
        ObjectPool<Resource> pool = track(resources().maxTotal(1).whenExhausted(Exhausted.FAIL)
                .reset(r -> {
                    if (r.text.length() > 0) {
                        throw boom;
                    }
                }).build());
        Pooled<Resource> p = pool.acquire();
        Resource dirty = p.get();
        dirty.text.append("half");
        assertThatThrownBy(p::close).isSameAs(boom);
        assertThat(p.isReleased()).isTrue();
        assertThat(dirty.closes).isEqualTo(1);
        assertThatThrownBy(p::close).isInstanceOf(IllegalStateException.class);
        assertThat(stats(pool)).isEqualTo(new ObjectPoolStats(1, 1, 1, 0, 1, 0, 0, 1, 0, 0));
        try (Pooled<Resource> next = pool.acquire()) { // maxTotal 1: the permit was given back
            assertThat(next.get()).isNotSameAs(dirty);
        }
    }

    @Test
    void aValidateExceptionReachesTheCallerAndTheObjectIsDiscarded() {
        Error boom = new AssertionError("validator broke");
        ObjectPool<Resource> pool = track(resources().validate(r -> {
            throw boom;
        }).build());
        Pooled<Resource> p = pool.acquire();
        Resource object = p.get();
        assertThatThrownBy(p::close).isSameAs(boom);
        assertThat(p.isReleased()).isTrue();
        assertThat(stats(pool)).isEqualTo(new ObjectPoolStats(1, 1, 1, 0, 1, 0, 0, 1, 0, 0));
        Pooled<Resource> next = pool.acquire();
        assertThat(next.get()).isNotSameAs(object);
        assertThatThrownBy(next::close).isSameAs(boom);
    }

    // ---------------------------------------------------------------- maxTotal

    @Test
    void failPolicyThrowsWhenMaxTotalIsReached() {
        ObjectPool<Resource> pool = track(resources().name("tight").maxTotal(2).whenExhausted(Exhausted.FAIL).build());
        Pooled<Resource> a = pool.acquire();
        Pooled<Resource> b = pool.acquire();
        assertThatThrownBy(pool::acquire).isInstanceOf(PoolExhaustedException.class)
                .hasMessageContaining("tight").hasMessageContaining("maxTotal 2").hasMessageContaining("2 in use");
        assertThat(stats(pool).exhausted()).isEqualTo(1);
        b.close();
        try (Pooled<Resource> c = pool.acquire()) {
            assertThat(c.get()).isNotSameAs(a.get());
        }
        a.close();
        assertThat(stats(pool)).isEqualTo(new ObjectPoolStats(3, 3, 2, 1, 0, 2, 0, 2, 1, 0));
    }

    @Test
    void waitPolicyTimesOut() {
        ObjectPool<Resource> pool = track(resources().maxTotal(1).acquireTimeout(Duration.ofMillis(30)).build());
        try (Pooled<Resource> held = pool.acquire()) {
            assertThat(held.isReleased()).isFalse();
            assertThatThrownBy(pool::acquire).isInstanceOf(PoolExhaustedException.class)
                    .hasMessageContaining("PT0.03S");
        }
        assertThat(stats(pool).exhausted()).isEqualTo(1);
    }

    @Test
    void zeroTimeoutTriesOnce() {
        ObjectPool<Resource> pool = track(resources().maxTotal(1).acquireTimeout(Duration.ZERO).build());
        try (Pooled<Resource> held = pool.acquire()) {
            assertThat(held.isReleased()).isFalse();
            assertThatThrownBy(pool::acquire).isInstanceOf(PoolExhaustedException.class);
        }
    }

    private static void awaitWaiters(ObjectPool<?> pool, int n) {
        StripedObjectPool<?> p = (StripedObjectPool<?>) pool;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (p.waiting() < n) {
            assertThat(System.nanoTime()).as("no thread started waiting within 30 s").isLessThan(deadline);
            Thread.yield();
        }
    }

    @Test
    void waitPolicyHandsOverTheReleasedObject() throws Exception {
        ObjectPool<Resource> pool = track(resources().maxTotal(1).acquireTimeout(Duration.ofSeconds(30)).build());
        Pooled<Resource> held = pool.acquire();
        Resource object = held.get();
        CompletableFuture<Resource> waiter = CompletableFuture.supplyAsync(() -> {
            try (Pooled<Resource> p = pool.acquire()) {
                return p.get();
            }
        });
        awaitWaiters(pool, 1);
        held.close();
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isSameAs(object);
        assertThat(stats(pool).exhausted()).isZero();
    }

    @Test
    void aDiscardWakesAWaiterThatMakesANewObject() throws Exception {
        ObjectPool<Resource> pool = track(resources().maxTotal(1).validate(r -> false)
                .acquireTimeout(Duration.ofSeconds(30)).build());
        Pooled<Resource> held = pool.acquire();
        Resource object = held.get();
        CompletableFuture<Resource> waiter = CompletableFuture.supplyAsync(() -> {
            try (Pooled<Resource> p = pool.acquire()) {
                return p.get();
            }
        });
        awaitWaiters(pool, 1);
        held.close();
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isNotNull().isNotSameAs(object);
    }

    @Test
    void anInterruptedWaitThrowsAndKeepsTheInterrupt() throws Exception {
        ObjectPool<Resource> pool = track(resources().maxTotal(1).acquireTimeout(Duration.ofSeconds(30)).build());
        try (Pooled<Resource> held = pool.acquire()) {
            assertThat(held.isReleased()).isFalse();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            AtomicBoolean interruptKept = new AtomicBoolean();
            Thread waiter = new Thread(() -> {
                try {
                    pool.acquire().close();
                    outcome.complete(null);
                } catch (Throwable t) {
                    // recorded here, asserted on the test thread: an assertion failing in this
                    // thread would only show as a timeout
                    interruptKept.set(Thread.currentThread().isInterrupted());
                    outcome.complete(t);
                }
            });
            waiter.start();
            awaitWaiters(pool, 1);
            waiter.interrupt();
            Throwable t = outcome.get(30, TimeUnit.SECONDS);
            assertThat(t).isInstanceOf(PoolExhaustedException.class).hasMessageContaining("interrupted")
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(interruptKept).as("the interrupt flag is set again").isTrue();
            Waits.join(waiter);
        }
        assertThat(stats(pool).exhausted()).isEqualTo(1);
    }

    @Test
    void closingThePoolFailsItsWaiters() throws Exception {
        ObjectPool<Resource> pool = track(resources().maxTotal(1).acquireTimeout(Duration.ofSeconds(30)).build());
        Pooled<Resource> held = pool.acquire();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                pool.acquire().close();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        awaitWaiters(pool, 1);
        pool.close();
        assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        held.close();
    }

    // ---------------------------------------------------------------- closing the pool

    @Test
    void closingThePoolDropsAndClosesIdleObjects() {
        ObjectPool<Resource> pool = track(resources().name("closing").build());
        Pooled<Resource> a = pool.acquire();
        Pooled<Resource> b = pool.acquire();
        Resource ra = a.get();
        Resource rb = b.get();
        rb.failOnClose = new IllegalStateException("close failed, logged only");
        a.close();
        b.close();
        pool.close();
        assertThat(ra.closes).isEqualTo(1);
        assertThat(rb.closes).isEqualTo(1);
        assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("closing")
                .hasMessageContaining("closed");
        assertThat(stats(pool)).isEqualTo(new ObjectPoolStats(2, 2, 2, 0, 2, 0, 0, 2, 0, 0));
        pool.close(); // closing again does nothing
        assertThat(rb.closes).isEqualTo(1);
    }

    @Test
    void objectsInUseWhenThePoolClosesAreDroppedOnRelease() {
        ObjectPool<Resource> pool = track(resources().build());
        Pooled<Resource> held = pool.acquire();
        Resource object = held.get();
        pool.close();
        assertThat(held.get()).isSameAs(object); // still valid
        assertThat(object.closes).isZero();
        held.close();
        assertThat(object.closes).isEqualTo(1);
        assertThat(stats(pool)).isEqualTo(new ObjectPoolStats(1, 1, 1, 0, 1, 0, 0, 1, 0, 0));
    }

    @Test
    void thePoolIsRegisteredInInstrumentsUntilClosed() {
        ObjectPool<Resource> pool = track(resources().name("instrumented").build());
        assertThat(Instruments.all()).contains(pool);
        assertThat(pool.type()).isEqualTo("ObjectPool");
        pool.acquire().close();
        assertThat(pool.counters()).containsKeys("acquires", "releases", "created", "reused", "discarded", "idle",
                "inUse", "peakInUse", "exhausted", "leaksDetected")
                .containsEntry("acquires", 1L).containsEntry("idle", 1L);
        assertThat(Instruments.report()).contains("instrumented");
        pool.close();
        assertThat(Instruments.all()).doesNotContain(pool);
    }

    @Test
    void poolsGetDefaultNames() {
        ObjectPool<Resource> a = track(resources().build());
        ObjectPool<Resource> b = track(resources().build());
        assertThat(a.name()).matches("ObjectPool-\\d+");
        assertThat(b.name()).matches("ObjectPool-\\d+").isNotEqualTo(a.name());
        assertThat(a.toString()).contains(a.name());
    }

    // ---------------------------------------------------------------- leaks

    private static void collectUntil(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        for (int i = 0; i < 50 && !done.getAsBoolean(); i++) {
            System.gc();
            Thread.sleep(20); // gives the reference handler time; the loop, not the sleep, decides
        }
        assertThat(done.getAsBoolean()).as("%s after 50 GCs", what).isTrue();
    }

    @Test
    void aLeakedLoanIsReportedAndItsPermitFreed() throws Exception {
        ObjectPool<Resource> pool = track(resources().name("leaky").maxTotal(1).whenExhausted(Exhausted.FAIL)
                .leakDetection(LeakDetection.PARANOID).build());
        Resource leakedObject = LeakyObjectHolder.acquireAndDrop(pool);
        List<LeakTracker.Tracked> outstanding = ((StripedObjectPool<Resource>) pool).tracker().outstanding();
        assertThat(outstanding).hasSize(1);
        StackTraceElement top = outstanding.get(0).acquiredAt()[0];
        assertThat(top.getClassName()).isEqualTo(LeakyObjectHolder.class.getName());
        outstanding = null;
        collectUntil(() -> pool.stats().leaksDetected() == 1, "the dropped handle was not reported");
        ObjectPoolStats s = stats(pool);
        assertThat(s).isEqualTo(new ObjectPoolStats(1, 0, 1, 0, 0, 0, 0, 1, 0, 1));
        try (Pooled<Resource> p = pool.acquire()) { // maxTotal 1: the leak's permit was freed
            assertThat(p.get()).isNotSameAs(leakedObject); // and its object is not reused
        }
        assertThat(leakedObject.closes).as("someone may still use a leaked object: not closed").isZero();
    }

    @Test
    void aLeakedObjectWithAHomeGivesBothHomeAndPermitBack() throws Exception {
        int cap = Stripes.COUNT * StripedObjectPool.HOMES_PER_STRIPE; // every object gets a home
        ObjectPool<Resource> pool = track(resources().maxTotal(cap).maxIdle(cap).whenExhausted(Exhausted.FAIL)
                .leakDetection(LeakDetection.PARANOID).build());
        Resource leakedObject = LeakyObjectHolder.acquireAndDrop(pool);
        collectUntil(() -> pool.stats().leaksDetected() == 1, "the dropped handle was not reported");
        List<Pooled<Resource>> held = new ArrayList<>();
        for (int i = 0; i < cap; i++) { // all permits are free again, and no home is blocked
            held.add(pool.acquire());
            assertThat(held.get(i).get()).isNotSameAs(leakedObject);
        }
        assertThatThrownBy(pool::acquire).isInstanceOf(PoolExhaustedException.class);
        held.forEach(Pooled::close);
        ObjectPoolStats s = stats(pool);
        assertThat(s.idle()).isEqualTo(cap);
        assertThat(s.inUse()).isZero();
        assertThat(s.acquires()).isEqualTo(cap + 1L);
        assertThat(s.releases()).isEqualTo(cap);
        assertThat(s.created() - s.discarded() - s.leaksDetected()).isEqualTo(s.idle());
    }

    @Test
    void closedLoansAreNeverReportedAsLeaks() throws Exception {
        ObjectPool<Resource> pool = track(resources().leakDetection(LeakDetection.PARANOID).build());
        for (int i = 0; i < 100; i++) {
            pool.acquire().close();
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        assertThat(stats(pool).leaksDetected()).isZero();
        assertThat(((StripedObjectPool<Resource>) pool).tracker().outstanding()).isEmpty();
    }

    @Test
    void withoutDetectionLeaksAreNotTracked() {
        ObjectPool<Resource> pool = track(resources().build());
        LeakyObjectHolder.acquireAndDrop(pool);
        assertThat(((StripedObjectPool<Resource>) pool).tracker().outstanding()).isEmpty();
        assertThat(stats(pool).inUse()).isEqualTo(1);
    }

    @Test
    void sampledDetectionTracksAboutOneAcquireIn128() {
        ObjectPool<Resource> pool = track(ObjectPool.builder(Resource::new).build()); // SAMPLED is the default
        List<Pooled<Resource>> held = new ArrayList<>();
        for (int i = 0; i < 128 * 4; i++) {
            held.add(pool.acquire());
        }
        assertThat(((StripedObjectPool<Resource>) pool).tracker().outstanding()).hasSize(4);
        held.forEach(Pooled::close);
        assertThat(((StripedObjectPool<Resource>) pool).tracker().outstanding()).isEmpty();
    }

    @Test
    void leakReportsCanBeCollectedConcurrently() {
        // tracked and untracked loans mixed over threads keep the counts balanced
        ObjectPool<Resource> pool = track(resources().leakDetection(LeakDetection.PARANOID).build());
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        pool.acquire().close();
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            try {
                Waits.join(t);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(errors).isEmpty();
        ObjectPoolStats s = stats(pool);
        assertThat(s.acquires()).isEqualTo(4000);
        assertThat(s.releases()).isEqualTo(4000);
        assertThat(s.leaksDetected()).isZero();
        assertThat(s.inUse()).isZero();
    }
}
