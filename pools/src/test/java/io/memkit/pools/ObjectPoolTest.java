package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.memkit.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ObjectPool's behaviour through its public API only. */
class ObjectPoolTest {

    private final List<ObjectPool<?>> pools = new ArrayList<>();

    private <T> ObjectPool<T> track(ObjectPool<T> pool) {
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void closePools() {
        pools.forEach(ObjectPool::close);
    }

    /** A pooled object that counts its own closes. */
    static final class Resource implements AutoCloseable {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void anIdleObjectIsLentAgainAndCountedAsReused() {
        ObjectPool<Resource> pool = track(ObjectPool.builder(Resource::new).leakDetection(LeakDetection.OFF).build());
        Resource first;
        try (Pooled<Resource> p = pool.acquire()) {
            first = p.get();
        }
        try (Pooled<Resource> p = pool.acquire()) {
            assertThat(p.get()).isSameAs(first);
        }
        ObjectPoolStats s = pool.stats();
        assertThat(s.acquires()).isEqualTo(2);
        assertThat(s.releases()).isEqualTo(2);
        assertThat(s.created()).isEqualTo(1);
        assertThat(s.reused()).isEqualTo(1);
        assertThat(s.idle()).isEqualTo(1);
        assertThat(s.inUse()).isZero();
    }

    @Test
    void anObjectIsNeverLentToTwoHolders() {
        ObjectPool<Resource> pool = track(ObjectPool.builder(Resource::new).maxTotal(3).whenExhausted(Exhausted.FAIL)
                .leakDetection(LeakDetection.OFF).build());
        Pooled<Resource> a = pool.acquire();
        Pooled<Resource> b = pool.acquire();
        Pooled<Resource> c = pool.acquire();
        assertThat(List.of(a.get(), b.get(), c.get())).doesNotHaveDuplicates();
        assertThatThrownBy(pool::acquire).isInstanceOf(PoolExhaustedException.class).hasMessageContaining("maxTotal 3");
        a.close();
        b.close();
        c.close();
        assertThat(pool.stats().exhausted()).isEqualTo(1);
    }

    @Test
    void aClosedHandleFailsEveryUseAndASecondCloseChangesNothing() {
        ObjectPool<Resource> pool = track(ObjectPool.builder(Resource::new).leakDetection(LeakDetection.OFF).build());
        Pooled<Resource> p = pool.acquire();
        p.close();
        assertThat(p.isReleased()).isTrue();
        assertThatIllegalStateException().isThrownBy(p::get);
        assertThatIllegalStateException().isThrownBy(p::close);
        assertThat(pool.stats().releases()).isEqualTo(1);
    }

    @Test
    void aStaleHandleCannotReachTheNextLoan() {
        ObjectPool<Resource> pool = track(ObjectPool.builder(Resource::new).maxTotal(1).leakDetection(LeakDetection.OFF)
                .build());
        Pooled<Resource> stale = pool.acquire();
        stale.close();
        try (Pooled<Resource> next = pool.acquire()) {
            assertThatIllegalStateException().isThrownBy(stale::close);
            assertThatIllegalStateException().isThrownBy(stale::get);
            assertThat(next.isReleased()).isFalse();
            assertThat(next.get()).isNotNull();
        }
    }

    @Test
    void resetRunsOnReleaseAndAFailedValidationDiscardsAndClosesTheObject() {
        AtomicInteger resets = new AtomicInteger();
        AtomicBoolean keep = new AtomicBoolean(true);
        ObjectPool<Resource> pool = track(ObjectPool.builder(Resource::new).reset(r -> resets.incrementAndGet())
                .validate(r -> keep.get()).leakDetection(LeakDetection.OFF).build());
        Resource r;
        try (Pooled<Resource> p = pool.acquire()) {
            r = p.get();
        }
        assertThat(resets).hasValue(1);
        assertThat(r.closes).hasValue(0);
        keep.set(false);
        try (Pooled<Resource> p = pool.acquire()) {
            assertThat(p.get()).isSameAs(r);
        }
        assertThat(resets).hasValue(2);
        assertThat(r.closes).hasValue(1);
        assertThat(pool.stats().discarded()).isEqualTo(1);
        assertThat(pool.stats().idle()).isZero();
    }

    @Test
    void closeCalledFromResetReturnsAndDropsTheObject() {
        AtomicReference<ObjectPool<Resource>> self = new AtomicReference<>();
        ObjectPool<Resource> pool = track(ObjectPool.builder(Resource::new).reset(r -> self.get().close())
                .leakDetection(LeakDetection.OFF).build());
        self.set(pool);
        Pooled<Resource> p = pool.acquire();
        Resource r = p.get();
        // before the fix, close() waited for the release that was running it, forever
        assertTimeoutPreemptively(Duration.ofSeconds(20), p::close);
        assertThat(r.closes).as("the object of the release that closed the pool is dropped").hasValue(1);
        assertThatIllegalStateException().isThrownBy(pool::acquire).withMessageContaining("closed");
        assertThat(pool.stats().idle()).isZero();
    }

    @Test
    void closeCalledFromValidateReturnsAndDropsTheObject() {
        AtomicReference<ObjectPool<Resource>> self = new AtomicReference<>();
        ObjectPool<Resource> pool = track(ObjectPool.builder(Resource::new).validate(r -> {
            self.get().close();
            return true;
        }).leakDetection(LeakDetection.OFF).build());
        self.set(pool);
        Pooled<Resource> other = pool.acquire();
        Pooled<Resource> p = pool.acquire();
        Resource r = p.get();
        assertTimeoutPreemptively(Duration.ofSeconds(20), p::close);
        assertThat(r.closes).hasValue(1);
        // a loan still out when the pool closed is dropped by its own close
        Resource o = other.get();
        other.close();
        assertThat(o.closes).hasValue(1);
    }

    @Test
    void closeWaitsForAReleaseInProgressOnAnotherThread() throws Exception {
        CountDownLatch inReset = new CountDownLatch(1);
        CountDownLatch finishReset = new CountDownLatch(1);
        AtomicBoolean closeReturned = new AtomicBoolean();
        AtomicBoolean closeReturnedDuringReset = new AtomicBoolean();
        ObjectPool<Resource> pool = track(ObjectPool.builder(Resource::new).reset(r -> {
            inReset.countDown();
            try {
                if (!finishReset.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never let the reset finish");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeReturnedDuringReset.set(closeReturned.get());
        }).leakDetection(LeakDetection.OFF).build());
        Pooled<Resource> p = pool.acquire();
        Resource r = p.get();
        Thread releaser = new Thread(p::close, "releaser");
        releaser.start();
        assertThat(inReset.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
            pool.close();
            closeReturned.set(true);
        });
        Waits.until("the pool is closing", () -> pool.toString().contains("(closed)"));
        assertThatThrownBy(() -> closing.get(200, TimeUnit.MILLISECONDS))
                .as("close() returned while a release was running its reset")
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        finishReset.countDown();
        closing.get(30, TimeUnit.SECONDS);
        Waits.join(releaser);
        assertThat(closeReturnedDuringReset).isFalse();
        assertThat(r.closes).as("the released object is dropped, not left idle in a closed pool").hasValue(1);
        assertThat(pool.stats().idle()).isZero();
    }

    @Test
    void closeFailsWaitingAcquiresWithIllegalStateException() throws Exception {
        ObjectPool<Resource> pool = track(ObjectPool.builder(Resource::new).maxTotal(1).whenExhausted(Exhausted.WAIT)
                .acquireTimeout(Duration.ofSeconds(60)).leakDetection(LeakDetection.OFF).build());
        Pooled<Resource> held = pool.acquire();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                pool.acquire().close();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        }, "waiter");
        waiter.start();
        Waits.untilTimedWaiting(waiter);
        pool.close();
        assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        Waits.join(waiter);
        held.close();
    }

    @Test
    void waitPolicyWakesWhenAnObjectIsReleased() throws Exception {
        ObjectPool<Resource> pool = track(ObjectPool.builder(Resource::new).maxTotal(1).whenExhausted(Exhausted.WAIT)
                .acquireTimeout(Duration.ofSeconds(30)).leakDetection(LeakDetection.OFF).build());
        Pooled<Resource> held = pool.acquire();
        Resource object = held.get();
        CompletableFuture<Resource> got = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try (Pooled<Resource> p = pool.acquire()) {
                got.complete(p.get());
            } catch (Throwable t) {
                got.completeExceptionally(t);
            }
        }, "waiter");
        waiter.start();
        Waits.untilTimedWaiting(waiter);
        held.close();
        assertThat(got.get(30, TimeUnit.SECONDS)).isSameAs(object);
        Waits.join(waiter);
        assertThat(pool.stats().exhausted()).isZero();
    }

    @Test
    void outstandingAndTheLeakListenerWorkAsOnBufferPool() throws Exception {
        List<LeakReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        ObjectPool<Resource> pool = track(ObjectPool.builder(Resource::new).name("leaky-objects").maxTotal(1)
                .whenExhausted(Exhausted.FAIL).leakDetection(LeakDetection.PARANOID).leakListener(reports::add).build());
        try (Pooled<Resource> p = pool.acquire()) {
            assertThat(pool.outstanding()).singleElement().satisfies(info -> {
                assertThat(info.capacity()).isOne();
                assertThat(info.threadName()).isEqualTo(Thread.currentThread().getName());
            });
        }
        assertThat(pool.outstanding()).isEmpty();
        io.memkit.testing.LeakyObjectHolder.acquireAndDrop(pool);
        for (int i = 0; i < 50 && reports.isEmpty(); i++) {
            System.gc();
            Thread.sleep(20); // lets the reference handler enqueue; not synchronization: the loop polls
            pool.outstanding();
        }
        assertThat(reports).as("no leak reported after 50 GCs").singleElement().satisfies(r -> {
            assertThat(r.poolName()).isEqualTo("leaky-objects");
            assertThat(r.capacity()).isOne();
            assertThat(r.reclaimed()).isFalse();
            assertThat(r.acquiredAt()[0].getClassName()).isEqualTo(io.memkit.testing.LeakyObjectHolder.class.getName());
        });
        // the leaked object's place under maxTotal is free again
        pool.acquire().close();
        assertThat(pool.stats().leaksDetected()).isEqualTo(1);
    }
}
