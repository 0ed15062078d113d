package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Exclusive ownership under contention, on platform threads and (JDK 21+) 10,000 virtual threads:
 * every object carries an owner field, set on acquire (it must be empty) and checked before close
 * (it must still be the caller). The pools are tight (maxTotal below the number of threads, WAIT)
 * and validation drops some objects, so releases keep, drop and hand over to waiters all at once.
 * At the end the counters must balance.
 */
class ObjectPoolStressTest {

    /** A pooled object with its current owner. */
    static final class Owned {
        final AtomicReference<Object> owner = new AtomicReference<>();
        int uses;
    }

    private static final class Violations {
        final List<String> found = new CopyOnWriteArrayList<>();
    }

    /**
     * One loan: claim the owner field, work a little (holding a second loan now and then), check
     * the field is still ours, clear it, close.
     */
    private static void borrow(ObjectPool<Owned> pool, Object me, Violations violations, boolean yieldInside,
            boolean nested) {
        try (Pooled<Owned> p = pool.acquire()) {
            Owned o = p.get();
            if (!o.owner.compareAndSet(null, me)) {
                violations.found.add("lent to " + me + " while held by " + o.owner.get());
                return;
            }
            o.uses++;
            if (nested) {
                borrow(pool, me, violations, yieldInside, false);
            }
            if (yieldInside) {
                Thread.yield();
            }
            if (o.owner.get() != me) {
                violations.found.add("taken from " + me + " by " + o.owner.get());
            }
            o.owner.set(null);
        }
    }

    private static ObjectPool<Owned> tightPool(String name, int maxTotal, int maxIdle) {
        AtomicInteger checks = new AtomicInteger();
        return ObjectPool.builder(Owned::new).name(name).maxTotal(maxTotal).maxIdle(maxIdle)
                .acquireTimeout(Duration.ofSeconds(60))
                .reset(o -> {
                    if (o.owner.get() != null) {
                        throw new IllegalStateException("reset of an object still owned by " + o.owner.get());
                    }
                })
                .validate(o -> checks.incrementAndGet() % 97 != 0) // drop about one object in 97
                .build();
    }

    private static void assertBalanced(ObjectPool<Owned> pool, long loans, int maxTotal, int maxIdle) {
        ObjectPoolStats s = pool.stats();
        assertThat(s.acquires()).as("acquires in %s", s).isEqualTo(loans);
        assertThat(s.releases()).as("releases in %s", s).isEqualTo(loans);
        assertThat(s.inUse()).as("in use in %s", s).isZero();
        assertThat(s.created() + s.reused()).as("created + reused in %s", s).isEqualTo(loans);
        assertThat(s.created() - s.discarded()).as("alive in %s", s).isEqualTo(s.idle());
        assertThat(s.idle()).as("idle in %s", s).isLessThanOrEqualTo(maxIdle);
        assertThat(s.peakInUse()).as("peak in %s", s).isLessThanOrEqualTo(maxTotal);
        assertThat(s.discarded()).as("validation dropped some objects: %s", s).isPositive();
        assertThat(s.exhausted()).isZero();
        assertThat(s.leaksDetected()).isZero();
    }

    @Test
    void platformThreadsNeverShareAnObjectInATightPool() throws InterruptedException {
        platformThreadsNeverShareAnObject(3, 2, false); // maxIdle below the stripes: the overflow stack only
    }

    @Test
    void platformThreadsNeverShareAnObjectInAPoolWithHomes() throws InterruptedException {
        // One home per stripe where there are up to six stripes, the rest on the overflow. Threads
        // hold two loans now and then: with more objects than threads, one of them always can.
        platformThreadsNeverShareAnObject(6, 6, true);
    }

    private static void platformThreadsNeverShareAnObject(int maxTotal, int maxIdle, boolean nesting)
            throws InterruptedException {
        int threads = 4;
        int loansPerThread = 40_000;
        ObjectPool<Owned> pool = tightPool("stress-platform", maxTotal, maxIdle);
        Violations violations = new Violations();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                Object me = Thread.currentThread();
                try {
                    start.await();
                    for (int i = 0; i < loansPerThread; i += nesting && (i & 7) == 0 ? 2 : 1) {
                        borrow(pool, me, violations, (i & 63) == 0, nesting && (i & 7) == 0);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "stress-" + t);
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(w.isAlive()).as("%s did not finish in 2 minutes", w.getName()).isFalse();
        }
        assertThat(errors).isEmpty();
        assertThat(violations.found).isEmpty();
        assertBalanced(pool, (long) threads * loansPerThread, maxTotal, maxIdle);
        pool.close();
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()} where the JDK has it (21+), else {@code null}. */
    private static ExecutorService virtualThreads() {
        try {
            MethodHandle factory = MethodHandles.publicLookup().findStatic(java.util.concurrent.Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
            return (ExecutorService) factory.invoke();
        } catch (NoSuchMethodException | IllegalAccessException notBefore21) {
            return null;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Test
    void tenThousandVirtualThreadsNeverShareAnObject() throws InterruptedException {
        ExecutorService executor = virtualThreads();
        Assumptions.assumeTrue(executor != null, "virtual threads need JDK 21+");
        int threads = 10_000;
        int loansPerThread = 20;
        int maxTotal = 16;
        int maxIdle = 16;
        ObjectPool<Owned> pool = tightPool("stress-virtual", maxTotal, maxIdle);
        Violations violations = new Violations();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < threads; t++) {
                executor.execute(() -> {
                    Object me = Thread.currentThread();
                    try {
                        start.await();
                        for (int i = 0; i < loansPerThread; i++) {
                            borrow(pool, me, violations, true, false); // one loan each: no hold-and-wait
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
            }
            start.countDown();
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(2, TimeUnit.MINUTES)).as("virtual threads did not finish in 2 minutes")
                    .isTrue();
        }
        assertThat(errors).isEmpty();
        assertThat(violations.found).isEmpty();
        // However many threads came and went, the pool held no more than its caps.
        assertBalanced(pool, (long) threads * loansPerThread, maxTotal, maxIdle);
        pool.close();
    }
}
