package io.memkit.weakcache;

import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link WeakCache#get(Object, java.util.function.Function)} with
 * {@code getIfPresent}, {@code put} and {@code remove}. {@code get} reports whether its own loader
 * produced the value it returned: sequentially only a {@code get} on an absent key does, so two
 * concurrent loads of one key (or a caller handed a value that never was the entry's) fail the check.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:2")
public class WeakCacheLincheckTest {

    /** A value; all of them are kept strongly, so nothing is collected during a scenario. */
    static final class Value {
    }

    private final WeakCache<Integer, Value> cache = WeakCache.<Integer, Value>builder().name("lincheck").build();
    private final Value[] keep = new Value[64];
    private final AtomicInteger kept = new AtomicInteger();

    private Value keep(Value v) {
        keep[kept.getAndIncrement()] = v;
        return v;
    }

    @Operation
    public boolean get(@Param(name = "key") int key) {
        Value[] mine = new Value[1];
        Value result = cache.get(key, k -> mine[0] = keep(new Value()));
        return result == mine[0];
    }

    @Operation
    public boolean getIfPresent(@Param(name = "key") int key) {
        return cache.getIfPresent(key) != null;
    }

    @Operation
    public boolean put(@Param(name = "key") int key) {
        return cache.put(key, keep(new Value())) != null;
    }

    @Operation
    public boolean remove(@Param(name = "key") int key) {
        return cache.remove(key) != null;
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(8).invocationsPerIteration(150)
                .threads(2).actorsPerThread(2).actorsBefore(1).actorsAfter(1)
                .check(WeakCacheLincheckTest.class);
    }

    @Test
    void stress() {
        new StressOptions().iterations(8).invocationsPerIteration(200)
                .threads(2).actorsPerThread(3).actorsBefore(0).actorsAfter(1)
                .check(WeakCacheLincheckTest.class);
    }
}
