package io.memkit.meter;

import java.util.Map;

/**
 * A component that exposes named counters: every memkit pool, cache and counter set.
 *
 * <p>Implementations register themselves with {@link Instruments#register(Instrumented)} when
 * they are created and {@link Instruments#unregister(Instrumented) unregister} when they close.
 * Both methods must be thread-safe and cheap enough to call from a monitoring thread at any time.
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
     * The kind of component, used as the {@code type} key of its JMX name and as a heading in
     * {@link Instruments#report()}, for example {@code "BufferPool"}.
     *
     * @return the kind of component; by default the simple name of the implementing class
     */
    default String type() {
        return getClass().getSimpleName();
    }

    /**
     * A snapshot of the component's counters. The names are stable across releases and the map
     * iterates in a fixed order; values are read without stopping the component, so under
     * concurrency they are each exact but not necessarily taken at one instant.
     *
     * @return an unmodifiable map from counter name (for example {@code "acquires"}) to value
     */
    Map<String, Long> counters();
}
