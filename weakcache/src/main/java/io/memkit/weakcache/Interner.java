package io.memkit.weakcache;

import io.memkit.meter.Instrumented;
import io.memkit.meter.Instruments;
import io.memkit.weakcache.internal.WeakInterner;

/**
 * Canonicalizes equal objects to one shared instance, held only weakly: once the program drops
 * every strong reference to a canonical instance and the collector clears it, its entry goes away.
 *
 * <p>{@link #intern(Object)} returns the canonical instance equal (by {@code equals} and
 * {@code hashCode}) to its argument, and makes the argument canonical when none is alive. A hit
 * allocates nothing and takes no lock; a miss allocates one entry object (a weak reference that
 * carries the hash) and takes one of several striped locks. Entries of collected instances are
 * expunged without further calls: a shared memkit daemon thread ({@code memkit-expunger-N}) wakes
 * after each garbage collection and drains them, typically within a second (later when the
 * machine is so busy that the thread gets little processor time), one bounded batch per
 * segment lock hold, so no caller pays for draining a large backlog at once; a miss also
 * expunges a bounded batch of its segment. The thread holds interners only weakly and ends when
 * none is left.
 *
 * <p>Thread-safe: two threads interning equal new objects at the same time get the same canonical
 * instance. Interned objects must not change their {@code equals}/{@code hashCode} while interned.
 * Every interner registers itself with {@link io.memkit.meter.Instruments} (held weakly there).
 *
 * @param <T> the type of the interned objects
 */
public interface Interner<T> extends Instrumented {

    /**
     * A new, empty weak interner with a generated name.
     *
     * @param <T> the type of the interned objects
     * @return the interner; when empty it holds 64 segments, each with a lock, a reference queue and
     *         an 8-slot table
     */
    static <T> Interner<T> weak() {
        return Instruments.register(new WeakInterner<>(null));
    }

    /**
     * A new, empty weak interner.
     *
     * @param name the name it has in {@link io.memkit.meter.Instruments} reports and JMX
     * @param <T>  the type of the interned objects
     * @return the interner
     * @throws NullPointerException if {@code name} is {@code null}
     */
    static <T> Interner<T> weak(String name) {
        if (name == null) {
            throw new NullPointerException("name must not be null");
        }
        return Instruments.register(new WeakInterner<>(name));
    }

    /**
     * The canonical instance equal to {@code sample}; {@code sample} itself becomes canonical when
     * no equal instance is alive. Expected O(1): a hit allocates nothing and takes no lock; a miss
     * allocates one entry, takes a lock and may expunge a bounded batch of collected entries.
     *
     * @param sample the object to canonicalize
     * @return the canonical instance, {@code equals} to {@code sample}; {@code sample} itself on a miss
     * @throws NullPointerException if {@code sample} is {@code null}
     */
    T intern(T sample);

    /**
     * The number of entries held: canonical instances alive, plus those collected whose entries are
     * not expunged yet (typically within a second of the collection that cleared them). Exact when no
     * call runs concurrently and nothing awaits expunging; approximate otherwise.
     *
     * @return the number of entries
     */
    int size();

    /**
     * A snapshot of the counters, not read at one instant under concurrency. Misses and collected
     * are exact; lookups and hits are counted with plain (not atomic) per-thread-stripe stores to
     * keep hits cheap, so with more threads interning at once than stripes (about two per
     * processor) they may fall slightly short.
     *
     * @return lookups (calls to {@link #intern}), hits, misses, entries expunged after collection,
     *         and {@link #size()}
     */
    InternerStats stats();

    /**
     * Expunges every entry whose canonical instance was collected and shrinks tables that became
     * sparse, now, on the calling thread. Optional: the expunger thread does this work a bounded
     * batch at a time after each collection; call this where the entries must be gone at once (a
     * test, or a measurement of the heap). Takes each segment's lock in turn,
     * one batch per hold, so concurrent interns wait at most for a batch.
     */
    void cleanUp();
}
