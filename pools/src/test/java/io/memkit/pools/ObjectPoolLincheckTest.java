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
 * Linearizability of acquire and close on a full pool: every object it may make exists, so
 * acquires race to claim the idle ones in place (FAIL when none is idle). The pool has one home
 * position per stripe ({@code maxTotal = maxIdle =} the number of stripes); before the scenario
 * starts all but two of its objects are lent for good, one is the shared loan below, and one is
 * idle.
 *
 * <p>One loan is shared by all threads and closed concurrently; loans acquired in the scenario
 * belong to the acquiring thread, which alone closes them. Exclusive ownership is checked by the
 * objects themselves: acquiring marks an object held and fails if it already was; the pool's reset
 * (run only by the close that wins) clears the mark. The counters are a sum over the objects'
 * stamps, exact at quiescence but not a linearizable snapshot, so they are checked after each run
 * in {@link #countersMatchTheLiveLoans()}.
 */
public class ObjectPoolLincheckTest {

    /** A pooled object that knows whether someone holds it. */
    static final class Item {
        final AtomicBoolean held = new AtomicBoolean();
    }

    private static final int CAP = io.memkit.pools.internal.Stripes.COUNT;

    private final ObjectPool<Item> pool = ObjectPool.builder(Item::new).name("lincheck").maxTotal(CAP).maxIdle(CAP)
            .whenExhausted(Exhausted.FAIL).reset(item -> item.held.set(false)).leakDetection(LeakDetection.OFF)
            .build();
    private final List<Pooled<Item>> ballast = takeAllButTwo();
    private final Pooled<Item> shared = take();
    {
        take().close(); // the last object: made, then idle in its home
    }
    /** Per Lincheck thread id; the ids of the initial and final parts may exceed the parallel threads. */
    @SuppressWarnings("unchecked")
    private final List<Pooled<Item>>[] own = new List[] {new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>(), new ArrayList<>()};

    private List<Pooled<Item>> takeAllButTwo() {
        List<Pooled<Item>> lent = new ArrayList<>();
        for (int i = 0; i < CAP - 2; i++) {
            lent.add(take());
        }
        return lent;
    }

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
        }
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
        long live = ballast.size() + (shared.isReleased() ? 0 : 1);
        for (List<Pooled<Item>> mine : own) {
            live += mine.size();
        }
        ObjectPoolStats s = pool.stats();
        if (s.inUse() != live || s.acquires() != s.releases() + s.inUse() || s.acquires() != s.created() + s.reused()
                || s.created() - s.discarded() != s.idle() + s.inUse() || s.peakInUse() > CAP) {
            throw new IllegalStateException("counters " + s + " disagree with " + live + " live loans");
        }
    }

    @Test
    void stress() {
        new StressOptions().iterations(2).invocationsPerIteration(100).threads(2).actorsPerThread(3)
                .actorsBefore(1).actorsAfter(1).check(getClass());
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(2).invocationsPerIteration(25).threads(2).actorsPerThread(2)
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
        assertThat(t.closeOwn(0)).isTrue();
        assertThat(t.closeOwn(0)).isFalse();
        t.countersMatchTheLiveLoans();
        assertThat(t.pool.stats().inUse()).isEqualTo(CAP - 1);
    }
}
