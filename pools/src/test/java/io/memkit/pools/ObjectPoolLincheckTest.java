package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of acquire, close and pool close on a pool small enough that a scenario reaches
 * every path: creation (the pool starts empty), exhaustion ({@code maxTotal} 2, FAIL), discard
 * (every object is dropped at its second release, and a release beyond {@code maxIdle} 1 is
 * dropped too).
 *
 * <p>One loan is shared by all threads and closed concurrently; loans acquired in the scenario
 * belong to the acquiring thread, which alone closes them. Exclusive ownership is checked by the
 * objects themselves: acquiring marks an object held and fails if it already was; the pool's reset
 * (run only by the close that wins) clears the mark. The counters are a sum over the objects'
 * stamps, exact at quiescence but not a linearizable snapshot, so they are checked after each run
 * in {@link #countersMatchTheLiveLoans()}.
 */
public class ObjectPoolLincheckTest {

    /** A pooled object that knows whether someone holds it and how often it was released. */
    static final class Item {
        final AtomicBoolean held = new AtomicBoolean();
        int releases;
    }

    private static final int CAP = 2;

    private final ObjectPool<Item> pool = ObjectPool.builder(Item::new).name("lincheck").maxTotal(CAP).maxIdle(1)
            .whenExhausted(Exhausted.FAIL).reset(item -> item.held.set(false)).validate(item -> ++item.releases < 2)
            .leakDetection(LeakDetection.OFF).build();
    private final Pooled<Item> shared = take();
    /** Per Lincheck thread id; the ids of the initial and final parts may exceed the parallel threads. */
    @SuppressWarnings("unchecked")
    private final List<Pooled<Item>>[] own = new List[] {new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>(), new ArrayList<>()};

    private Pooled<Item> take() {
        Pooled<Item> p = pool.acquire();
        if (!p.get().held.compareAndSet(false, true)) {
            throw new IllegalStateException("an object was lent to two holders");
        }
        return p;
    }

    @Operation
    public String acquire(@Param(gen = ThreadIdGen.class) int thread) {
        try {
            own[thread].add(take());
            return "acquired";
        } catch (PoolExhaustedException e) {
            return "exhausted";
        } catch (IllegalStateException e) {
            return "pool closed";
        }
    }

    /**
     * Not an {@link Operation}: {@code close()} unregisters the pool, which walks the registry of
     * every pool the previous invocations built, too long a loop for the model checker's budget.
     * The sequential test below and the fuzz target cover it.
     *
     * @return {@code "closed"}
     */
    public String closePool() {
        pool.close();
        return "closed";
    }

    @Operation
    public boolean closeOwn(@Param(gen = ThreadIdGen.class) int thread) {
        List<Pooled<Item>> mine = own[thread];
        if (mine.isEmpty()) {
            return false;
        }
        mine.remove(mine.size() - 1).close();
        return true;
    }

    @Operation
    public String closeShared() {
        try {
            shared.close();
            return "closed";
        } catch (IllegalStateException e) {
            return "already released";
        }
    }

    @Operation
    public boolean sharedIsReleased() {
        return shared.isReleased();
    }

    @Validate
    public void countersMatchTheLiveLoans() {
        long live = shared.isReleased() ? 0 : 1;
        for (List<Pooled<Item>> mine : own) {
            live += mine.size();
        }
        ObjectPoolStats s = pool.stats();
        if (s.inUse() != live || s.acquires() != s.releases() + s.inUse() || s.acquires() != s.created() + s.reused()
                || s.created() - s.discarded() < s.idle() + s.inUse() || s.idle() > 1 || s.peakInUse() > CAP) {
            throw new IllegalStateException("counters " + s + " disagree with " + live + " live loans");
        }
    }

    @Test
    void stress() {
        new StressOptions().iterations(3).invocationsPerIteration(60).threads(2).actorsPerThread(3)
                .actorsBefore(1).actorsAfter(1).check(getClass());
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(2).invocationsPerIteration(15).threads(2).actorsPerThread(2)
                .actorsBefore(1).actorsAfter(1).check(getClass());
    }

    @Test
    void theModelItselfIsConsistent() {
        ObjectPoolLincheckTest t = new ObjectPoolLincheckTest();
        assertThat(t.acquire(0)).isEqualTo("acquired");
        assertThat(t.acquire(1)).isEqualTo("exhausted");
        assertThat(t.pool.stats().created()).isEqualTo(CAP);
        assertThat(t.closeShared()).isEqualTo("closed");
        assertThat(t.sharedIsReleased()).isTrue();
        assertThat(t.closeShared()).isEqualTo("already released");
        assertThat(t.acquire(1)).isEqualTo("acquired");
        assertThat(t.closeOwn(1)).isTrue(); // its second release: discarded
        assertThat(t.pool.stats().discarded()).isEqualTo(1);
        assertThat(t.acquire(1)).isEqualTo("acquired"); // created anew
        assertThat(t.pool.stats().created()).isEqualTo(3);
        t.countersMatchTheLiveLoans();
        assertThat(t.closePool()).isEqualTo("closed");
        assertThat(t.acquire(2)).isEqualTo("pool closed");
        assertThat(t.closeOwn(0)).isTrue();
        assertThat(t.closeOwn(0)).isFalse();
        t.countersMatchTheLiveLoans();
        assertThat(t.pool.stats().inUse()).isEqualTo(1);
    }
}
