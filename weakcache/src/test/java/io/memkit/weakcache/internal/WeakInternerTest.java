package io.memkit.weakcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.memkit.weakcache.InternerStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.junit.jupiter.api.Test;

class WeakInternerTest {

    /** A key whose hash code the test chooses, so that probe runs collide and wrap around. */
    static final class Key {
        final int id;
        final int hash;

        Key(int id, int hash) {
            this.id = id;
            this.hash = hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).id == id;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "Key" + id;
        }
    }

    /**
     * Random interns and simulated collections against a plain map: every live canonical
     * instance stays canonical across removals (backward shifts), resizes and shrinks.
     */
    @Property(tries = 200)
    void behavesLikeAMapOfCanonicalInstances(@ForAll("operations") List<Tuple2<Boolean, Integer>> operations,
            @ForAll("hashBits") int hashBits) {
        WeakInterner<Key> interner = new WeakInterner<>("property");
        Map<Integer, Key> model = new HashMap<>();
        long collected = 0;
        for (Tuple2<Boolean, Integer> op : operations) {
            int id = op.get2();
            Key sample = new Key(id, id & hashBits);
            if (op.get1()) {
                Key canonical = interner.intern(sample);
                Key expected = model.computeIfAbsent(id, k -> sample);
                assertThat(canonical).isSameAs(expected);
            } else if (model.containsKey(id)) {
                assertThat(interner.clearAndEnqueue(model.remove(id))).isTrue();
                collected++;
            }
        }
        interner.cleanUp();
        assertThat(interner.size()).isEqualTo(model.size());
        assertThat(interner.stats().collected()).isEqualTo(collected);
        for (Key canonical : model.values()) {
            assertThat(interner.intern(new Key(canonical.id, canonical.hash))).isSameAs(canonical);
        }
    }

    @Provide
    Arbitrary<List<Tuple2<Boolean, Integer>>> operations() {
        Arbitrary<Tuple2<Boolean, Integer>> op = Arbitraries.integers().between(0, 9)
                .flatMap(kind -> Arbitraries.integers().between(0, 300).map(id -> Tuple.of(kind < 7, id)));
        return op.list().ofMinSize(1).ofMaxSize(600);
    }

    /** Masks for the hash codes: one hash for all, a few, or many distinct. */
    @Provide
    Arbitrary<Integer> hashBits() {
        return Arbitraries.of(0, 0x3, 0xF0000000, 0xFFFFFFFF);
    }

    @Test
    void expungingManyDroppedStringsShrinksTheTablesToTheirEmptySize() {
        WeakInterner<String> interner = new WeakInterner<>("many");
        long emptyCapacity = interner.capacity();
        int n = 100_000;
        String[] strings = new String[n];
        for (int i = 0; i < n; i++) {
            strings[i] = interner.intern("s" + i);
        }
        assertThat(interner.size()).isEqualTo(n);
        long grownCapacity = interner.capacity();
        // 4/3 to 2 slots per entry.
        assertThat(grownCapacity).isBetween(n * 4L / 3, 2L * n + (long) WeakInterner.SEGMENTS * WeakInterner.MIN_CAPACITY);
        strings = null;
        List<String> probes = new ArrayList<>();
        int[] next = {0};
        // The expunger thread and the misses (each expunges a bounded batch of its segment) drive the purge.
        io.memkit.weakcache.Collect.until("100,000 dropped strings to be expunged",
                () -> interner.stats().collected() == n,
                () -> {
                    for (int i = 0; i < 1_000; i++) {
                        probes.add(interner.intern("probe-" + next[0]++));
                    }
                });
        InternerStats stats = interner.stats();
        assertThat(stats.size()).isEqualTo(probes.size());
        // Back to the size the live probes need, at most 8 slots per entry before the next shrink.
        assertThat(interner.capacity()).isLessThanOrEqualTo(Math.max(emptyCapacity, 8L * probes.size()));
        assertThat(interner.capacity()).isLessThan(grownCapacity / 10);
        probes.clear();
        io.memkit.weakcache.Collect.until("the probes to be collected", () -> interner.size() == 0,
                interner::cleanUp);
        assertThat(interner.capacity()).isEqualTo(emptyCapacity);
    }

    @Test
    void spreadUsesEveryBitOfTheHashCode() {
        // Hash codes that differ only in their high or only in their low bits land in different places.
        int[] hashes = {1, 2, 1 << 20, 1 << 30, 1 << 31};
        java.util.Set<Integer> places = new java.util.HashSet<>();
        for (int h : hashes) {
            int s = WeakInterner.spread(h);
            places.add((s >>> 28) * 1024 + WeakInterner.indexFor(s, 1024));
        }
        assertThat(places).hasSize(hashes.length);
    }

    @Test
    void hashCodesWithAStrideSpreadLikeRandomOnes() {
        // 50,000 hash codes over 64 segments x 2,048 slots: random ones take about 41,600 places.
        // Strides (multiples of 16, of 65,536, ...) must do about as well, or probe runs grow long.
        for (int stride : new int[] {1, 4, 16, 64, 1024, 4096, 65_536, 31}) {
            java.util.Set<Integer> places = new java.util.HashSet<>();
            for (int i = 0; i < 50_000; i++) {
                int s = WeakInterner.spread(i * stride);
                places.add((s >>> (32 - WeakInterner.SEGMENT_BITS)) * 2048 + WeakInterner.indexFor(s, 2048));
            }
            assertThat(places.size()).as("places taken by hash codes with stride %d", stride).isGreaterThan(33_000);
        }
    }
}
