package io.memkit.weakcache;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link Interner#intern}: each operation interns a new object and reports
 * whether that object became canonical. Sequentially exactly the first intern of a key does, so
 * two threads that both made their equal object canonical (two canonical instances) fail the check.
 * Keys 2 and 3 share a hash code, so their entries share a probe run.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
public class InternerLincheckTest {

    /** Equal by id; ids 2 and 3 collide. */
    static final class Key {
        final int id;

        Key(int id) {
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).id == id;
        }

        @Override
        public int hashCode() {
            return id / 2;
        }
    }

    private final Interner<Key> interner = Interner.weak("lincheck");
    /** Holds the canonical instances strongly, so none is collected during a scenario. */
    private final Key[] canonical = new Key[4];

    @Operation
    public boolean internNew(@Param(name = "key") int id) {
        Key sample = new Key(id);
        Key result = interner.intern(sample);
        canonical[id] = result;
        return result == sample;
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(10).invocationsPerIteration(200)
                .threads(2).actorsPerThread(2).actorsBefore(1).actorsAfter(1)
                .check(InternerLincheckTest.class);
    }

    @Test
    void stress() {
        new StressOptions().iterations(10).invocationsPerIteration(300)
                .threads(2).actorsPerThread(3).actorsBefore(0).actorsAfter(1)
                .check(InternerLincheckTest.class);
    }
}
