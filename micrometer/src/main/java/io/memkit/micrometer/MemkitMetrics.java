package io.memkit.micrometer;

import io.memkit.meter.Instrumented;
import io.memkit.meter.Instruments;
import io.memkit.meter.Metric;
import io.memkit.meter.StatsSchema;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Binds every memkit component registered in {@link Instruments} (pools, caches, interners, slice
 * counters), now and whenever one is registered later, to a Micrometer {@link MeterRegistry}.
 * Spring Boot binds a {@code MeterBinder} bean by itself; elsewhere call
 * {@code new MemkitMetrics().bindTo(registry)}.
 *
 * <p>Meters: each value of a component's stats record becomes the meter its {@link Metric}
 * annotation names, for example {@code memkit.pool.memory} with tag
 * {@code state=used|idle|reserved|quarantined}, {@code memkit.pool.acquires},
 * {@code memkit.cache.loads} with {@code result=success|failure} or
 * {@code memkit.interner.lookups} with {@code result=hit|miss}. Every meter carries the tags
 * {@code name} (the component's name) and {@code type} (for example {@code BufferPool}).
 * Counters are {@link FunctionCounter}s and levels are {@link Gauge}s; byte values have base unit
 * {@code bytes}, counts none. The gauge {@code memkit.components} counts the live components.
 *
 * <p>Lifetime: meters hold their component weakly, so a dropped pool is collected as if it were
 * never bound (it reports {@code NaN} meanwhile, never a stale value). Its meters are removed
 * when it closes, or once it was collected, at the next registry call or the next time
 * {@code memkit.components} is read (every scrape). A registry is bound at most once, however
 * many binders are bound to it; the binding lasts as long as the registry is reachable. Two live
 * components with the same type and name would share meters: the second is not bound, and a
 * warning says so.
 *
 * <p>Thread-safe.
 */
public final class MemkitMetrics implements MeterBinder {

    /** Bindings per registry; a binding holds its registry weakly, so this map does not keep it. */
    private static final Map<MeterRegistry, Binding> BINDINGS = new WeakHashMap<>();
    private static final System.Logger LOG = System.getLogger(MemkitMetrics.class.getName());

    /** A binder for every component in {@link Instruments}, now and later. */
    public MemkitMetrics() {
    }

    /**
     * Binds every live component, and every one registered from now on, to {@code registry}.
     * Binding a registry again has no further effect.
     *
     * @param registry the registry
     * @throws NullPointerException if {@code registry} is {@code null}
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry must not be null");
        Binding binding;
        synchronized (BINDINGS) {
            if (BINDINGS.containsKey(registry)) {
                return;
            }
            binding = new Binding(registry);
            BINDINGS.put(registry, binding);
        }
        // Reading it sweeps the registry, so collected components' meters go at each scrape.
        Gauge.builder("memkit.components", binding, b -> Instruments.all().size())
                .description("live memkit components (pools, caches, interners, counters)")
                .register(registry);
        Instruments.addListener(binding);
    }

    /** One registry's meters per component. Called by {@link Instruments} under its lock. */
    private static final class Binding implements Instruments.Listener {
        private final WeakReference<MeterRegistry> registry;
        /** Ids, not meters: some registries' meters refer to their registry, which must stay collectable. */
        private final Map<Instruments.Registration, List<Meter.Id>> meters = new IdentityHashMap<>();
        /** Type and name of each bound component, to its registration. */
        private final Map<String, Instruments.Registration> bound = new HashMap<>();

        Binding(MeterRegistry registry) {
            this.registry = new WeakReference<>(registry);
        }

        @Override
        public void added(Instruments.Registration registration) {
            MeterRegistry target = registry.get();
            Instrumented component = registration.component();
            if (target == null || component == null || meters.containsKey(registration)) {
                return;
            }
            Record stats = component.stats();
            if (stats == null) {
                return; // a component without a stats record has no kinds or units to bind by
            }
            String key = registration.type() + '\0' + registration.name();
            Instruments.Registration other = bound.putIfAbsent(key, registration);
            if (other != null) {
                LOG.log(System.Logger.Level.WARNING, "memkit: not binding a second live " + registration
                        + " to Micrometer: its meters would be the first one's; give the components distinct names");
                return;
            }
            Tags common = Tags.of("name", registration.name(), "type", registration.type());
            List<Meter.Id> list = new ArrayList<>();
            for (StatsSchema.Field field : StatsSchema.of(stats.getClass()).fields()) {
                if (!field.meter().isEmpty()) {
                    list.add(meter(target, component, field, common).getId());
                }
            }
            meters.put(registration, list);
        }

        private static Meter meter(MeterRegistry target, Instrumented component, StatsSchema.Field field, Tags common) {
            Tags tags = common;
            for (Map.Entry<String, String> tag : field.tags().entrySet()) {
                tags = tags.and(tag.getKey(), tag.getValue());
            }
            String unit = field.unit() == Metric.Unit.BYTES ? BaseUnits.BYTES : null;
            // Captures the field, never the component: the meter holds the component weakly.
            ToDoubleFunction<Instrumented> read = c -> {
                Record now = c.stats();
                return now == null ? Double.NaN : field.read(now);
            };
            if (field.kind() == Metric.Kind.COUNTER) {
                return FunctionCounter.builder(field.meter(), component, read).tags(tags).baseUnit(unit).register(target);
            }
            return Gauge.builder(field.meter(), component, read).tags(tags).baseUnit(unit).register(target);
        }

        @Override
        public void removed(Instruments.Registration registration) {
            List<Meter.Id> list = meters.remove(registration);
            if (list == null) {
                return;
            }
            bound.remove(registration.type() + '\0' + registration.name(), registration);
            MeterRegistry target = registry.get();
            if (target != null) {
                for (Meter.Id id : list) {
                    target.remove(id);
                }
            }
        }
    }
}
