package io.memkit.weakcache.internal;

import io.memkit.meter.Instruments;
import io.memkit.meter.internal.StripedCounters;
import io.memkit.weakcache.Interner;
import io.memkit.weakcache.InternerStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The weak {@link Interner}: 64 segments, each an open-addressing (linear probing) table of
 * {@link WeakEntry} objects, read without locks and written under the segment's lock.
 *
 * <p>Memory: one object per entry, a {@link WeakReference} whose spare header padding holds the
 * hash (32 bytes with compressed oops), plus its table slot. A segment grows when it is 3/4 full
 * and is rebuilt to 1/2 full, so it holds between 4/3 and 2 slots (4 bytes each) per entry: at
 * most 40 bytes per live entry, keys excluded. It shrinks when it falls under 1/8 full.
 *
 * <p>Reads: a hit loads the segment's table (volatile), probes with plain loads (see
 * {@link Segment#find}), and compares the stored hash before calling {@code equals}. A reader racing with a write may miss an entry that is being
 * moved; it then takes the lock and searches again, and only that locked search may decide that
 * the sample is new. So two threads interning equal new objects serialize on the segment lock and
 * the second finds the first's entry.
 *
 * <p>Purging: each segment has its own {@link ReferenceQueue}. A write first expunges at most
 * {@value #PURGE_BATCH} collected entries of its segment; the shared {@link Expunger} thread
 * drains every segment after each collection, one batch per lock hold, so a backlog goes even
 * when there are no more calls, and a hit never purges. The expunger holds the segments (not the
 * interner) weakly, through {@link Segments}. Removal uses backward-shift deletion, so there are
 * no tombstones.
 *
 * @param <T> the type of the interned objects
 */
public final class WeakInterner<T> implements Interner<T> {
    /**
     * 64 segments: a segment's rebuild (growing, or shrinking after a purge) copies or scans its
     * whole table under its lock, so more segments shorten the longest call (measured by
     * {@code InternerPurgeLatency}); each costs an empty interner a lock, a queue and a small table.
     */
    static final int SEGMENT_BITS = 6;
    static final int SEGMENTS = 1 << SEGMENT_BITS;
    static final int MIN_CAPACITY = 8;
    static final int MAX_CAPACITY = 1 << 30;
    /** Collected entries expunged at most per lock hold: bounds what a write, or a write waiting for the expunger, pays. */
    static final int PURGE_BATCH = 64;
    /** The only counter of {@link #lookups}. */
    private static final int LOOKUPS = 0;

    private static final AtomicLong NAMES = new AtomicLong();

    private final String name;
    private final Segment<T>[] segments;
    /** What the {@link Expunger} holds weakly; reachable from here, so it lives as long as this interner. */
    private final Segments<T> expungeTarget;
    /** Counted relaxed: an atomic add would be a visible share of a hit. */
    private final StripedCounters lookups = new StripedCounters(1);

    /**
     * A new empty interner; {@code Interner.weak} registers it with {@link Instruments}, never this constructor.
     *
     * @param name its name, or {@code null} for a generated one
     */
    @SuppressWarnings("unchecked")
    public WeakInterner(String name) {
        this.name = name != null ? name : "interner-" + NAMES.incrementAndGet();
        this.segments = (Segment<T>[]) new Segment<?>[SEGMENTS];
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment<>();
        }
        this.expungeTarget = new Segments<>(segments);
        Expunger.register(expungeTarget);
    }

    @Override
    public T intern(T sample) {
        if (sample == null) {
            throw nullSample();
        }
        int h = spread(sample.hashCode());
        Segment<T> segment = segments[h >>> (32 - SEGMENT_BITS)];
        lookups.addRelaxed(LOOKUPS, 1);
        T canonical = segment.find(sample, h);
        return canonical != null ? canonical : segment.insert(sample, h);
    }

    private static NullPointerException nullSample() {
        return new NullPointerException("sample must not be null");
    }

    /**
     * Fibonacci hashing in 64 bits: the high half of the product of the (folded) hash code and
     * 2^64 / phi, whose top bits depend on every bit of the hash code; both the segment (top bits)
     * and the slot (the next bits) are taken from the top. A 32-bit product (one multiply too)
     * loses the top bits of hash codes with trailing zeros, so strided hash codes such as
     * multiples of 16 would crowd into long probe runs ({@code WeakInternerTest} checks the spread).
     */
    static int spread(int hashCode) {
        return (int) (((hashCode ^ (hashCode >>> 16)) & 0xFFFF_FFFFL) * 0x9E37_79B9_7F4A_7C15L >>> 32);
    }

    /** The slot for hash {@code h} in a table of {@code length}: the bits below the segment bits, scaled to the length. */
    static int indexFor(int h, int length) {
        return (int) ((((h << SEGMENT_BITS) & 0xFFFF_FFFFL) * length) >>> 32);
    }

    @Override
    public int size() {
        long size = 0;
        for (Segment<T> segment : segments) {
            size += segment.count;
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    @Override
    public InternerStats stats() {
        long misses = 0;
        long collected = 0;
        long size = 0;
        for (Segment<T> segment : segments) {
            misses += segment.misses;
            collected += segment.collected;
            size += segment.count;
        }
        // Read after the misses: every miss counted was counted as a lookup first. Lookups are
        // counted relaxed, so they may fall short under heavy concurrency; the floor keeps hits
        // from going negative then.
        long lookupCount = Math.max(lookups.sum(LOOKUPS), misses);
        return new InternerStats(lookupCount, lookupCount - misses, misses, collected, size);
    }

    @Override
    public void cleanUp() {
        for (Segment<T> segment : segments) {
            boolean more;
            do {
                more = segment.lockedPurge();   // a batch per lock hold, so writers get a turn
            } while (more);
        }
    }

    /**
     * Simulates the collection of {@code canonical}'s referent for tests: clears its entry's
     * reference and enqueues it, as the collector would.
     */
    boolean clearAndEnqueue(T canonical) {
        int h = spread(canonical.hashCode());
        WeakEntry<T>[] t = segments[h >>> (32 - SEGMENT_BITS)].table;
        for (WeakEntry<T> e : t) {
            if (e != null && e.refersTo(canonical)) {
                return e.enqueue();
            }
        }
        return false;
    }

    /** Slots in all segment tables, for tests of shrinking. */
    long capacity() {
        long capacity = 0;
        for (Segment<T> segment : segments) {
            capacity += segment.table.length;
        }
        return capacity;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "Interner";
    }


    @Override
    public String toString() {
        return "Interner '" + name + "' " + stats();
    }

    /** An interned instance, held weakly; the hash fits in the reference's padding. */
    static final class WeakEntry<T> extends WeakReference<T> {
        final int hash;

        WeakEntry(T referent, int hash, ReferenceQueue<? super T> queue) {
            super(referent, queue);
            this.hash = hash;
        }
    }

    /** The segments as the {@link Expunger} sees them: held weakly there, strongly by the interner. */
    static final class Segments<T> implements Expunger.Target {
        private final Segment<T>[] segments;

        Segments(Segment<T>[] segments) {
            this.segments = segments;
        }

        @Override
        public int expungeStep() {
            int polled = 0;
            for (Segment<T> segment : segments) {
                polled += segment.expungerPurge();
            }
            return polled;
        }
    }

    /** One stripe: a linear-probing table, its lock and its reference queue. */
    static final class Segment<T> {
        private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(WeakEntry[].class);

        final ReentrantLock lock = new ReentrantLock();
        final ReferenceQueue<T> queue = new ReferenceQueue<>();
        /** Replaced under the lock once fully built; the volatile write publishes its contents. */
        volatile WeakEntry<T>[] table = newTable(MIN_CAPACITY);
        /** Entries in the table, live or awaiting expunging. Written under the lock, read racily. */
        volatile int count;
        /** Written under the lock, read racily. */
        volatile long misses;
        /** Written under the lock, read racily. */
        volatile long collected;

        @SuppressWarnings("unchecked")
        private static <T> WeakEntry<T>[] newTable(int capacity) {
            return (WeakEntry<T>[]) new WeakEntry<?>[capacity];
        }

        /**
         * Lock-free lookup; {@code null} when not found (which the caller confirms under the lock).
         *
         * <p>Slots are read with plain loads. That is enough: a hit needs the entry's
         * {@code hash}, a final field (so visible once the entry reference is), and its referent,
         * which a racy read may see as not yet set; then {@code get()} returns {@code null}, the
         * lookup misses, and the locked search (ordered by the lock) finds the entry. A plain read
         * can therefore cost a retry under the lock, never a wrong answer. The volatile read of
         * {@code table} keeps each call from reusing a table cached by the compiler.
         */
        T find(T sample, int h) {
            WeakEntry<T>[] t = table;
            int length = t.length;
            int i = indexFor(h, length);
            // The table always has free slots; the bound only guards against probing forever
            // while concurrent removals shift entries around.
            for (int probes = 0; probes < length; probes++) {
                WeakEntry<T> e = t[i];
                if (e == null) {
                    return null;
                }
                if (e.hash == h) {
                    T candidate = e.get();
                    if (candidate != null && (candidate == sample || sample.equals(candidate))) {
                        return candidate;
                    }
                }
                if (++i == length) {
                    i = 0;
                }
            }
            return null;
        }

        /** The authoritative lookup, and the insert when it misses. */
        T insert(T sample, int h) {
            lock.lock();
            try {
                purge(PURGE_BATCH);
                WeakEntry<T>[] t = table;
                int length = t.length;
                int i = indexFor(h, length);
                for (WeakEntry<T> e; (e = t[i]) != null; ) {
                    if (e.hash == h) {
                        T candidate = e.get();
                        if (candidate != null && (candidate == sample || sample.equals(candidate))) {
                            return candidate;
                        }
                    }
                    if (++i == length) {
                        i = 0;
                    }
                }
                if (count + 1 > length - (length >>> 2)) {
                    t = rebuild(1);
                    i = freeSlot(t, h);
                }
                SLOTS.setRelease(t, i, new WeakEntry<>(sample, h, queue));
                count = count + 1;
                misses = misses + 1;
                return sample;
            } finally {
                lock.unlock();
            }
        }

        /**
         * The expunger's step: polls outside the lock, so an idle segment costs one read of an
         * empty queue, and purges one batch under the lock when there is work.
         */
        int expungerPurge() {
            Reference<? extends T> first = queue.poll();
            if (first == null) {
                return 0;
            }
            lock.lock();
            try {
                return purge(first, PURGE_BATCH);
            } finally {
                lock.unlock();
            }
        }

        /** Purges one batch under the lock; tells whether the batch was full (more may wait). */
        boolean lockedPurge() {
            lock.lock();
            try {
                return purge(PURGE_BATCH) == PURGE_BATCH;
            } finally {
                lock.unlock();
            }
        }

        /** Under the lock: expunges at most {@code max} collected entries; returns how many references it polled. */
        private int purge(int max) {
            return purge(null, max);
        }

        /** As {@link #purge(int)}, starting with {@code first} (already polled) when not null. */
        @SuppressWarnings("unchecked")
        private int purge(Reference<? extends T> first, int max) {
            int polled = 0;
            int removed = 0;
            Reference<? extends T> ref = first != null ? first : queue.poll();
            for (; ref != null; ref = polled < max ? queue.poll() : null) {
                polled++;
                if (remove((WeakEntry<T>) ref)) {
                    removed++;
                }
            }
            if (removed > 0) {
                count = count - removed;
                collected = collected + removed;
                int length = table.length;
                if (length > MIN_CAPACITY && count < (length >>> 3)) {
                    // Few live entries remain, so the rebuild scans the old slots but dereferences little.
                    rebuild(0);
                }
            }
            return polled;
        }

        /**
         * Under the lock: removes {@code entry} (found by identity from its home slot) with
         * backward-shift deletion. False when a rebuild already dropped it.
         */
        private boolean remove(WeakEntry<T> entry) {
            WeakEntry<T>[] t = table;
            int length = t.length;
            int i = indexFor(entry.hash, length);
            for (WeakEntry<T> e; (e = t[i]) != null; ) {
                if (e == entry) {
                    deleteAt(t, i);
                    return true;
                }
                if (++i == length) {
                    i = 0;
                }
            }
            return false;
        }

        /**
         * Knuth's algorithm R: moves later entries of the probe run back into the hole unless their
         * home slot lies cyclically in (hole, j]. Each move writes the entry to its new slot before
         * clearing the old one, so a concurrent reader sees it in one of the two, or sees a null,
         * misses, and retries under the lock.
         */
        private static <T> void deleteAt(WeakEntry<T>[] t, int hole) {
            int length = t.length;
            int j = hole;
            for (;;) {
                if (++j == length) {
                    j = 0;
                }
                WeakEntry<T> e = t[j];
                if (e == null) {
                    break;
                }
                int home = indexFor(e.hash, length);
                boolean stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
                if (!stays) {
                    SLOTS.setRelease(t, hole, e);
                    hole = j;
                }
            }
            SLOTS.setRelease(t, hole, null);
        }

        /**
         * Under the lock: copies the live entries into a new table sized for them plus
         * {@code extra} at half load, drops the cleared ones (counted as collected now; the queue
         * later hands them back and {@link #remove} no longer finds them), and publishes it.
         */
        private WeakEntry<T>[] rebuild(int extra) {
            WeakEntry<T>[] old = table;
            int live = 0;
            for (WeakEntry<T> e : old) {
                if (e != null && !e.refersTo(null)) {
                    live++;
                }
            }
            int capacity = (int) Math.max(MIN_CAPACITY, Math.min(MAX_CAPACITY, 2L * (live + extra)));
            WeakEntry<T>[] t = newTable(capacity);
            int kept = 0;
            for (WeakEntry<T> e : old) {
                // refersTo(null), unlike get(), never makes a referent strongly reachable again.
                if (e != null && !e.refersTo(null)) {
                    t[freeSlot(t, e.hash)] = e;
                    kept++;
                }
            }
            int dropped = count - kept;
            count = kept;
            if (dropped > 0) {
                collected = collected + dropped;
            }
            table = t;
            return t;
        }

        private static <T> int freeSlot(WeakEntry<T>[] t, int h) {
            int length = t.length;
            int i = indexFor(h, length);
            while (t[i] != null) {
                if (++i == length) {
                    i = 0;
                }
            }
            return i;
        }
    }
}
