package io.memkit.weakcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.meter.Instruments;
import io.memkit.meter.MemoryMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

class InternerTest {

    @Test
    void firstSampleBecomesCanonicalAndEqualSamplesGetIt() {
        Interner<String> interner = Interner.weak();
        String first = new String("alpha");
        String second = new String("alpha");
        assertThat(interner.intern(first)).isSameAs(first);
        assertThat(interner.intern(second)).isSameAs(first);
        assertThat(interner.intern(new String("beta"))).isEqualTo("beta").isNotSameAs(first);
        assertThat(interner.size()).isEqualTo(2);
        InternerStats stats = interner.stats();
        assertThat(stats).isEqualTo(new InternerStats(3, 1, 2, 0, 2));
    }

    @Test
    void nullSampleIsRejectedWithAMessage() {
        Interner<String> interner = Interner.weak();
        assertThatThrownBy(() -> interner.intern(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("sample");
        assertThatThrownBy(() -> Interner.weak(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("name");
        assertThat(interner.stats().lookups()).isZero();
    }

    @Test
    void registersWithInstrumentsUnderItsName() {
        Interner<String> interner = Interner.weak("names-for-test");
        interner.intern("x");
        interner.intern(new String("x"));
        assertThat(Instruments.all()).contains(interner);
        assertThat(interner.type()).isEqualTo("Interner");
        assertThat(interner.counters()).containsExactly(
                java.util.Map.entry("lookups", 2L), java.util.Map.entry("hits", 1L),
                java.util.Map.entry("misses", 1L), java.util.Map.entry("collected", 0L),
                java.util.Map.entry("size", 1L));
        assertThat(Instruments.report()).contains("names-for-test").contains("lookups");
    }

    @Test
    void manyKeysGrowTheTablesAndStayCanonical() {
        Interner<String> interner = Interner.weak();
        int n = 50_000;
        String[] canonical = new String[n];
        for (int i = 0; i < n; i++) {
            canonical[i] = interner.intern(Integer.toString(i));
        }
        for (int i = 0; i < n; i++) {
            assertThat(interner.intern(new String(canonical[i]))).isSameAs(canonical[i]);
        }
        assertThat(interner.size()).isEqualTo(n);
        assertThat(interner.stats()).isEqualTo(new InternerStats(2L * n, n, n, 0, n));
    }

    @Test
    void hitAllocatesNothing() {
        assumeMeterSupported();
        Interner<String> interner = Interner.weak();
        String[] probes = new String[1000];
        for (int i = 0; i < probes.length; i++) {
            interner.intern("key-" + i);
            probes[i] = new String("key-" + i);     // equal, not identical: hits hash and compare
        }
        long best = Long.MAX_VALUE;
        // Warm up until compiled; the interpreter's first VarHandle calls may allocate once.
        for (int round = 0; round < 30 && best != 0; round++) {
            best = Math.min(best, MemoryMeter.measure(() -> {
                for (int k = 0; k < 20; k++) {
                    for (String p : probes) {
                        interner.intern(p);
                    }
                }
            }).allocatedBytes());
        }
        assertThat(best).as("bytes allocated by 20,000 intern hits").isZero();
    }

    @Test
    void missAllocatesOneSmallEntry() {
        assumeMeterSupported();
        Interner<String> interner = Interner.weak();
        List<String> keep = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            keep.add(interner.intern("warm-" + i));
        }
        String[] fresh = new String[200];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = "fresh-" + i;
        }
        long best = Long.MAX_VALUE;
        for (String f : fresh) {
            best = Math.min(best, MemoryMeter.measure(() -> interner.intern(f)).allocatedBytes());
        }
        // One WeakReference subclass with an int: 32 bytes with compressed oops, 48 without.
        assertThat(best).as("bytes allocated by one miss (no resize)").isBetween(24L, 48L);
        assertThat(keep).hasSize(20_000);
    }

    @Test
    void droppedCanonicalInstancesAreCollectedAndExpungedByLaterInterns() {
        Interner<String> interner = Interner.weak();
        String kept = interner.intern(new String("kept"));
        for (int i = 0; i < 1000; i++) {
            interner.intern(new String("dropped-" + i));
        }
        // Young collections during the loop may already have cleared and expunged some.
        assertThat(interner.stats().misses()).isEqualTo(1001);
        List<String> probes = new ArrayList<>();
        int[] next = {0};
        // Each miss expunges a bounded batch of its segment; keep the probes so they never die.
        Collect.until("the 1000 dropped entries to be expunged, stats " + interner.stats(),
                () -> interner.stats().collected() == 1000,
                () -> {
                    for (int i = 0; i < 200; i++) {
                        probes.add(interner.intern("probe-" + next[0]++));
                    }
                });
        assertThat(interner.size()).isEqualTo(1 + probes.size());
        assertThat(interner.intern(new String("kept"))).isSameAs(kept);
        String again = new String("dropped-7");
        assertThat(interner.intern(again)).isSameAs(again);
    }

    @Test
    void cleanUpExpungesCollectedEntriesWithoutAnyIntern() {
        Interner<String> interner = Interner.weak();
        String kept = interner.intern(new String("kept"));
        for (int i = 0; i < 1000; i++) {
            interner.intern(new String("dropped-" + i));
        }
        long lookups = interner.stats().lookups();
        Collect.until("cleanUp to expunge the 1000 dropped entries, stats " + interner.stats(),
                () -> interner.stats().collected() == 1000, interner::cleanUp);
        InternerStats stats = interner.stats();
        assertThat(stats.size()).isEqualTo(1);
        assertThat(interner.size()).isEqualTo(1);
        assertThat(stats.lookups()).as("cleanUp is not a lookup").isEqualTo(lookups);
        interner.cleanUp(); // nothing left to do: no change
        assertThat(interner.stats()).isEqualTo(stats);
        assertThat(interner.intern(new String("kept"))).isSameAs(kept);
    }

    /**
     * With no intern call after the drop, only memkit's expunger thread can remove the entries:
     * the interner's size must fall to the live count within a bounded wait after the collection.
     */
    @Test
    void droppedEntriesGoAfterACollectionWithoutFurtherCalls() {
        Interner<String> interner = Interner.weak("expunged-without-calls");
        int live = 1000;
        int dropped = 100_000;
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < live; i++) {
            kept.add(interner.intern(new String("live-" + i)));
        }
        java.lang.ref.WeakReference<?>[] watch = new java.lang.ref.WeakReference<?>[dropped];
        for (int i = 0; i < dropped; i++) {
            watch[i] = new java.lang.ref.WeakReference<>(interner.intern(new String("dropped-" + i)));
        }
        // Young collections during the loop may already have cleared and expunged some.
        assertThat(interner.stats().misses()).isEqualTo(live + dropped);
        long lookups = interner.stats().lookups();
        Collect.until("the 100,000 dropped instances to be cleared",
                () -> java.util.Arrays.stream(watch).allMatch(w -> w.refersTo(null)), () -> { });
        long millis = Collect.within("size() to fall to the " + live + " live entries with no intern call",
                10_000, () -> interner.size() == live);
        InternerStats stats = interner.stats();
        assertThat(stats.lookups()).as("no intern call while waiting").isEqualTo(lookups);
        assertThat(stats.collected()).isEqualTo(dropped);
        assertThat(stats.size()).isEqualTo(live);
        for (String s : kept) {
            assertThat(interner.intern(new String(s))).isSameAs(s);
        }
        System.out.println("expunged " + dropped + " entries " + millis + " ms after the collection cleared them");
    }

    /** The expunger holds an interner weakly: a dropped interner is collected. */
    @Test
    void aDroppedInternerIsCollected() {
        Interner<String> interner = Interner.weak("dropped-interner");
        interner.intern(new String("x"));
        java.lang.ref.WeakReference<Interner<String>> ref = new java.lang.ref.WeakReference<>(interner);
        interner = null;
        Collect.until("the dropped interner to be collected", () -> ref.refersTo(null), () -> { });
    }

    @Test
    void twoThreadsInterningEqualNewObjectsGetOneInstance() throws Exception {
        Interner<Integer> interner = Interner.weak();
        int keys = 20_000;
        AtomicReferenceArray<Integer> seenA = new AtomicReferenceArray<>(keys);
        AtomicReferenceArray<Integer> seenB = new AtomicReferenceArray<>(keys);
        CountDownLatch start = new CountDownLatch(1);
        Thread a = new Thread(() -> run(interner, seenA, start));
        Thread b = new Thread(() -> run(interner, seenB, start));
        a.start();
        b.start();
        start.countDown();
        Collect.join(a);
        Collect.join(b);
        for (int i = 0; i < keys; i++) {
            assertThat(seenA.get(i)).as("key %d", i).isSameAs(seenB.get(i));
        }
        assertThat(interner.stats().misses()).isEqualTo(keys);
    }

    /**
     * Threads intern and drop keys while collections clear entries, so expunging, backward shifts
     * and shrinking run under lock-free readers: a canonical instance a thread still holds must
     * stay canonical throughout.
     */
    @Test
    void heldInstancesStayCanonicalWhileOthersAreCollectedAndExpunged() throws Exception {
        Interner<Integer> interner = Interner.weak();
        int keys = 4096;
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int seed = t;
            threads.add(new Thread(() -> {
                Integer[] held = new Integer[keys];
                java.util.Random random = new java.util.Random(seed);
                try {
                    start.await();
                    for (int n = 0; n < 400_000; n++) {
                        int k = random.nextInt(keys);
                        Integer canonical = interner.intern(Integer.valueOf(k + 1_000_000));
                        if (held[k] != null && canonical != held[k]) {
                            throw new AssertionError("key " + k + ": held " + System.identityHashCode(held[k])
                                    + " but got " + System.identityHashCode(canonical));
                        }
                        // Drop about half of what we hold, so entries die and get expunged.
                        held[k] = random.nextBoolean() ? canonical : null;
                        if ((n & 0xFFFF) == 0) {
                            System.gc();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            Collect.join(t);
        }
        assertThat(failures).isEmpty();
        assertThat(interner.stats().collected()).as("entries were collected and expunged during the run").isPositive();
    }

    private static void run(Interner<Integer> interner, AtomicReferenceArray<Integer> seen, CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        for (int i = 0; i < seen.length(); i++) {
            seen.set(i, interner.intern(Integer.valueOf(i + 1_000_000))  /* a new Integer each call */);
        }
    }

    /** Skips the allocation assertions on a JVM without per-thread allocation counters. */
    private static void assumeMeterSupported() {
        org.junit.jupiter.api.Assumptions.assumeTrue(MemoryMeter.isSupported(), "no allocation counter");
    }
}
