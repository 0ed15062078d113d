package io.memkit.meter;

import java.util.Map;

/**
 * A component that exposes its statistics: every memkit pool, cache and counter set.
 *
 * <p>A component describes its values once, on the record its {@link #stats()} returns
 * ({@link Metric} on each record component); reports, JMX and metrics binders all derive names,
 * kinds and units from that record, and {@link #counters()} is derived from it too.
 *
 * <p>A component is registered with {@link Instruments#register(Instrumented)} by whoever creates
 * it, after its constructor returned (a builder's {@code build()} or a factory method), never from
 * the constructor itself: a registry that can see a half-built object may read its counters.
 * It {@link Instruments#unregister(Instrumented) unregisters} when it closes. All methods must be
 * thread-safe and cheap enough to call from a monitoring thread at any time.
 */
public interface Instrumented {

    /**
     * The component's name as given by its builder, unique enough to tell components apart in
     * a report; never {@code null}.
     *
     * @return the name
     */
    String name();

    /**
     * The kind of component, used as the {@code type} key of its JMX name, the {@code type} tag
     * of its meters and as a heading in {@link Instruments#report()}, for example
     * {@code "BufferPool"}.
     *
     * @return the kind of component; by default the simple name of the implementing class
     */
    default String type() {
        return getClass().getSimpleName();
    }

    /**
     * A snapshot of the component's statistics: an immutable public record whose every component
     * carries {@link Metric} (see {@link StatsSchema}). Values are read without stopping the
     * component, so under concurrency each is exact but they are not necessarily taken at one
     * instant.
     *
     * <p>The default returns {@code null}, which only a component that still writes
     * {@link #counters()} by hand may rely on: reports and JMX then show its counters without kind
     * or unit, and metrics binders skip it.
     *
     * @return a new snapshot, or {@code null} for a component without a stats record
     */
    default Record stats() {
        return null;
    }

    /**
     * The values of {@link #stats()} by name, for code that wants them untyped. The names are
     * those of the record's values (for example {@code "acquires"}), stable across releases, and
     * the map iterates in the record's order.
     *
     * @return an unmodifiable map from value name to value
     * @throws UnsupportedOperationException if the component has no stats record and does not
     *                                       override this method
     */
    default Map<String, Long> counters() {
        Record stats = stats();
        if (stats == null) {
            throw new UnsupportedOperationException(type() + " '" + name() + "' has no stats record");
        }
        return StatsSchema.of(stats.getClass()).read(stats);
    }
}
