package io.memkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memkit.buffers.Slice;
import io.memkit.buffers.SliceStats;
import io.memkit.meter.Instrumented;
import io.memkit.meter.Instruments;
import io.memkit.meter.Metric;
import io.memkit.meter.StatsSchema;
import io.memkit.pools.BufferPool;
import io.memkit.pools.BufferPoolStats;
import io.memkit.pools.Exhausted;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.ObjectPool;
import io.memkit.pools.ObjectPoolStats;
import io.memkit.pools.PoolExhaustedException;
import io.memkit.pools.Pooled;
import io.memkit.pools.PooledBuffer;
import io.memkit.weakcache.Interner;
import io.memkit.weakcache.InternerStats;
import io.memkit.weakcache.WeakCache;
import io.memkit.weakcache.WeakCacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.tck.MeterRegistryAssert;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemkitMetricsTest {

    private static final AtomicInteger IDS = new AtomicInteger();

    private SimpleMeterRegistry registry;

    @BeforeEach
    void bind() {
        registry = new SimpleMeterRegistry();
        new MemkitMetrics().bindTo(registry);
    }

    private static String unique(String base) {
        return base + "-" + IDS.incrementAndGet();
    }

    private Search meters(Instrumented component) {
        return registry.find("memkit.").name(n -> n.startsWith("memkit."))
                .tags("name", component.name(), "type", component.type());
    }

    @Test
    void bufferPoolMetersShowRealWorkWithTypesAndUnits() {
        try (BufferPool pool = BufferPool.builder().name(unique("io")).maxBytes(64 * 1024)
                .whenExhausted(Exhausted.FAIL).leakDetection(LeakDetection.OFF).build()) {
            PooledBuffer kept = pool.acquire(4096);
            pool.acquire(4096).close();
            pool.acquire(4096).close(); // served by the block the first close returned
            List<PooledBuffer> held = new java.util.ArrayList<>();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 64; i++) {
                    held.add(pool.acquire(16 * 1024));
                }
            }).isInstanceOf(PoolExhaustedException.class);

            String name = pool.name();
            FunctionCounter acquires = registry.get("memkit.pool.acquires").tags("name", name, "type", "BufferPool")
                    .functionCounter();
            assertThat(acquires.count()).isEqualTo(3 + held.size());
            assertThat(acquires.getId().getBaseUnit()).isNull();
            assertThat(registry.get("memkit.pool.releases").tags("name", name).functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("memkit.pool.leases").tags("name", name).gauge().value()).isEqualTo(1 + held.size());
            held.forEach(PooledBuffer::close);
            assertThat(registry.get("memkit.pool.cache.gets").tags("name", name, "result", "hit").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("memkit.pool.exhausted").tags("name", name).functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("memkit.pool.leaks").tags("name", name).functionCounter().count()).isZero();
            assertThat(registry.get("memkit.pool.leases").tags("name", name).gauge().value()).isEqualTo(1);

            BufferPoolStats stats = pool.stats();
            Gauge used = registry.get("memkit.pool.memory").tags("name", name, "state", "used").gauge();
            assertThat(used.value()).isEqualTo(stats.bytesInUse()).isGreaterThanOrEqualTo(4096);
            assertThat(used.getId().getBaseUnit()).isEqualTo("bytes");
            assertThat(registry.get("memkit.pool.memory").tags("name", name, "state", "reserved").gauge().value())
                    .isEqualTo(stats.bytesReserved()).isPositive();
            assertThat(registry.get("memkit.pool.memory").tags("name", name, "state", "idle").gauge().value())
                    .isEqualTo(stats.bytesIdle());
            assertThat(registry.get("memkit.pool.memory").tags("name", name, "state", "quarantined").gauge().value())
                    .isZero();
            MeterRegistryAssert.assertThat(registry).hasMeterWithNameAndTags("memkit.pool.memory.peak",
                    io.micrometer.core.instrument.Tags.of("name", name, "type", "BufferPool"));

            assertAgreesWithStatsAndCounters(pool, stats);
            kept.close();
        }
    }

    @Test
    void objectPoolMeters() {
        try (ObjectPool<StringBuilder> pool = ObjectPool.builder(StringBuilder::new).name(unique("scratch"))
                .leakDetection(LeakDetection.OFF).build()) {
            try (Pooled<StringBuilder> a = pool.acquire()) {
                a.get().append('x');
            }
            pool.acquire().close();
            String name = pool.name();
            assertThat(registry.get("memkit.pool.acquires").tags("name", name, "type", "ObjectPool").functionCounter()
                    .count()).isEqualTo(2);
            assertThat(registry.get("memkit.pool.objects.created").tags("name", name).functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("memkit.pool.objects.reused").tags("name", name).functionCounter().count())
                    .isEqualTo(1);
            Gauge idle = registry.get("memkit.pool.objects").tags("name", name, "state", "idle").gauge();
            assertThat(idle.value()).isEqualTo(1);
            assertThat(idle.getId().getBaseUnit()).isNull();
            assertThat(registry.get("memkit.pool.objects").tags("name", name, "state", "used").gauge().value()).isZero();
            assertAgreesWithStatsAndCounters(pool, pool.stats());
        }
    }

    @Test
    void weakCacheMeters() {
        WeakCache<String, Object> cache = WeakCache.<String, Object>builder().name(unique("sessions")).build();
        Object value = new Object();
        assertThat(cache.get("a", k -> value)).isSameAs(value);
        assertThat(cache.get("a", k -> new Object())).isSameAs(value);
        assertThatThrownBy(() -> cache.get("b", k -> {
            throw new IllegalStateException("load failed");
        })).isInstanceOf(IllegalStateException.class);
        Object other = new Object();
        cache.put("c", other);
        cache.remove("c");
        String name = cache.name();
        assertThat(registry.get("memkit.cache.loads").tags("name", name, "type", "WeakCache", "result", "success")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("memkit.cache.loads").tags("name", name, "result", "failure").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("memkit.cache.gets").tags("name", name, "result", "hit").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("memkit.cache.gets").tags("name", name, "result", "miss").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get("memkit.cache.removals").tags("name", name, "cause", "explicit").functionCounter()
                .count()).isEqualTo(1);
        assertThat(registry.get("memkit.cache.size").tags("name", name).gauge().value()).isEqualTo(1);
        assertAgreesWithStatsAndCounters(cache, cache.stats());
        assertThat(value).isNotNull();
    }

    @Test
    void internerMeters() {
        Interner<String> interner = Interner.weak(unique("names"));
        List<String> canonical = List.of(interner.intern(new String("a")), interner.intern(new String("b")),
                interner.intern(new String("c")));
        interner.intern(new String("a"));
        interner.intern(new String("b"));
        String name = interner.name();
        assertThat(registry.get("memkit.interner.lookups").tags("name", name, "type", "Interner", "result", "hit")
                .functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("memkit.interner.lookups").tags("name", name, "result", "miss").functionCounter()
                .count()).isEqualTo(3);
        assertThat(registry.get("memkit.interner.size").tags("name", name).gauge().value()).isEqualTo(3);
        // lookups is hits + misses: a sum over the result tag, not a meter of its own
        assertThat(registry.find("memkit.interner.lookups").tags("name", name).meters()).hasSize(2);
        assertAgreesWithStatsAndCounters(interner, interner.stats());
        assertThat(canonical).hasSize(3);
    }

    @Test
    void sliceCountersAreBoundOnceTheyHaveAStatsRecord() {
        Slice.wrap(new byte[16]).slice(0, 8);
        Instrumented slices = Instruments.all().stream().filter(c -> c.type().equals("Slice")).findFirst().orElseThrow();
        assumeTrue(slices.stats() != null, "the Slice counters have no typed stats() yet, so they are not bound");
        assertThat(registry.get("memkit.slice.views").tags("name", slices.name()).functionCounter().count()).isPositive();
        assertThat(registry.get("memkit.slice.viewed").tags("name", slices.name()).functionCounter().getId()
                .getBaseUnit()).isEqualTo("bytes");
    }

    @Test
    void componentRegisteredAfterBindingIsBoundAndClosingRemovesItsMeters() {
        BufferPool pool = BufferPool.builder().name(unique("later")).build();
        pool.acquire(10).close();
        assertThat(registry.get("memkit.pool.acquires").tags("name", pool.name()).functionCounter().count())
                .isEqualTo(1);
        pool.close();
        assertThat(meters(pool).meters()).isEmpty();
    }

    @Test
    void componentLiveBeforeBindingIsBound() {
        try (BufferPool pool = BufferPool.builder().name(unique("before")).build()) {
            SimpleMeterRegistry late = new SimpleMeterRegistry();
            new MemkitMetrics().bindTo(late);
            assertThat(late.get("memkit.pool.acquires").tags("name", pool.name()).functionCounter().count()).isZero();
        }
    }

    @Test
    void droppedAndCollectedComponentDisappears() throws Exception {
        WeakReference<BufferPool> ref = buildUseAndDrop();
        String name = ref.get().name();
        for (int i = 0; i < 50 && (ref.get() != null || !registry.find("memkit.pool.acquires").tags("name", name)
                .meters().isEmpty()); i++) {
            System.gc();
            Thread.sleep(20);
            scrape(registry); // what a scrape does: read every meter, memkit.components among them
        }
        assertThat(ref.get()).as("pool still reachable after 50 GCs: a meter or the binder holds it").isNull();
        assertThat(registry.find("memkit.pool.acquires").tags("name", name).meters())
                .as("meters of a collected pool").isEmpty();
        assertThat(registry.getMeters()).noneMatch(m -> name.equals(m.getId().getTag("name")));
    }

    private static WeakReference<BufferPool> buildUseAndDrop() {
        BufferPool pool = BufferPool.builder().name(unique("dropped")).build();
        pool.acquire(100).close();
        return new WeakReference<>(pool);
    }

    private static void scrape(MeterRegistry registry) {
        for (Meter meter : registry.getMeters()) {
            meter.measure().forEach(m -> m.getValue());
        }
    }

    @Test
    void bindingARegistryTwiceBindsOnce() {
        new MemkitMetrics().bindTo(registry);
        try (BufferPool pool = BufferPool.builder().name(unique("once")).build()) {
            pool.acquire(1).close();
            assertThat(registry.find("memkit.pool.acquires").tags("name", pool.name()).functionCounters()).hasSize(1);
            assertThat(registry.get("memkit.pool.acquires").tags("name", pool.name()).functionCounter().count())
                    .isEqualTo(1);
        }
        assertThat(registry.get("memkit.components").gauge().value()).isEqualTo(Instruments.all().size());
    }

    @Test
    void theBinderDoesNotKeepARegistryAlive() throws Exception {
        try (BufferPool live = BufferPool.builder().name(unique("outlives-registry")).build()) {
            WeakReference<MeterRegistry> ref = bindAndDrop(live);
            for (int i = 0; i < 50 && ref.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertThat(ref.get()).as("registry still reachable after 50 GCs: memkit holds it").isNull();
            BufferPool.builder().name(unique("after-registry")).build().close(); // a dropped registry's binding is skipped
        }
    }

    private static WeakReference<MeterRegistry> bindAndDrop(BufferPool live) {
        SimpleMeterRegistry dropped = new SimpleMeterRegistry();
        new MemkitMetrics().bindTo(dropped);
        assertThat(dropped.find("memkit.pool.acquires").tags("name", live.name()).functionCounter()).isNotNull();
        return new WeakReference<>(dropped);
    }

    @Test
    void nullRegistryIsRejected() {
        assertThatThrownBy(() -> new MemkitMetrics().bindTo(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("registry");
    }

    /** The names every memkit stats record declares: one list, so a rename shows up here. */
    @Test
    void meterNamesOfEveryStatsRecord() {
        TreeSet<String> names = new TreeSet<>();
        for (Class<? extends Record> type : List.of(BufferPoolStats.class, ObjectPoolStats.class, WeakCacheStats.class,
                InternerStats.class, SliceStats.class)) {
            for (StatsSchema.Field field : StatsSchema.of(type).fields()) {
                if (!field.meter().isEmpty()) {
                    names.add(field.meter() + (field.kind() == Metric.Kind.COUNTER ? " counter" : " gauge")
                            + (field.unit() == Metric.Unit.BYTES ? " bytes" : "") + (field.tags().isEmpty() ? ""
                            : " " + field.tags()));
                }
            }
        }
        assertThat(names).containsExactly(
                "memkit.cache.gets counter {result=hit}",
                "memkit.cache.gets counter {result=miss}",
                "memkit.cache.loads counter {result=failure}",
                "memkit.cache.loads counter {result=success}",
                "memkit.cache.removals counter {cause=collected}",
                "memkit.cache.removals counter {cause=explicit}",
                "memkit.cache.size gauge",
                "memkit.interner.collected counter",
                "memkit.interner.lookups counter {result=hit}",
                "memkit.interner.lookups counter {result=miss}",
                "memkit.interner.size gauge",
                "memkit.pool.acquires counter",
                "memkit.pool.cache.gets counter {result=hit}",
                "memkit.pool.cache.gets counter {result=miss}",
                "memkit.pool.double.releases counter",
                "memkit.pool.exhausted counter",
                "memkit.pool.leaks counter",
                "memkit.pool.leases gauge",
                "memkit.pool.memory gauge bytes {state=idle}",
                "memkit.pool.memory gauge bytes {state=quarantined}",
                "memkit.pool.memory gauge bytes {state=reserved}",
                "memkit.pool.memory gauge bytes {state=used}",
                "memkit.pool.memory.peak gauge bytes",
                "memkit.pool.objects gauge {state=idle}",
                "memkit.pool.objects gauge {state=used}",
                "memkit.pool.objects.created counter",
                "memkit.pool.objects.discarded counter",
                "memkit.pool.objects.peak gauge",
                "memkit.pool.objects.reused counter",
                "memkit.pool.releases counter",
                "memkit.pool.unpooled counter",
                "memkit.slice.copied counter bytes",
                "memkit.slice.copies counter",
                "memkit.slice.viewed counter bytes",
                "memkit.slice.views counter");
    }

    /**
     * Every value with a meter name is bound with the kind and unit its record declares, and reads
     * what the stats record and the untyped counters say (the component is quiescent).
     */
    private void assertAgreesWithStatsAndCounters(Instrumented component, Record stats) {
        Map<String, Long> counters = component.counters();
        int bound = 0;
        for (StatsSchema.Field field : StatsSchema.of(stats.getClass()).fields()) {
            if (field.meter().isEmpty()) {
                continue;
            }
            Search search = registry.find(field.meter()).tags("name", component.name(), "type", component.type());
            for (Map.Entry<String, String> tag : field.tags().entrySet()) {
                search = search.tag(tag.getKey(), tag.getValue());
            }
            Meter meter = search.meter();
            assertThat(meter).as(field.toString()).isNotNull();
            double value;
            if (field.kind() == Metric.Kind.COUNTER) {
                assertThat(meter).as(field.toString()).isInstanceOf(FunctionCounter.class);
                value = ((FunctionCounter) meter).count();
            } else {
                assertThat(meter).as(field.toString()).isInstanceOf(Gauge.class);
                value = ((Gauge) meter).value();
            }
            assertThat(meter.getId().getBaseUnit()).as(field.toString())
                    .isEqualTo(field.unit() == Metric.Unit.BYTES ? "bytes" : null);
            assertThat(value).as(field.toString()).isEqualTo((double) field.read(stats));
            if (counters.containsKey(field.name())) {
                assertThat(counters.get(field.name())).as(field.toString()).isEqualTo(field.read(stats));
            }
            bound++;
        }
        assertThat(meters(component).meters()).hasSize(bound);
    }
}
