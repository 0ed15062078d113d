package io.memkit.meter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says what one value of a stats record is: a counter or a gauge, in bytes or a count, and the
 * meter it becomes in a metrics system. Every exporter ({@link Instruments#report()}, JMX and the
 * Micrometer binder) reads this one annotation through {@link StatsSchema}, so they cannot
 * disagree about a value's kind, unit or name.
 *
 * <p>Put it on every component of a record that an {@link Instrumented#stats()} returns, and on a
 * public no-argument {@code long} method of that record for a value derived from the others (for
 * example {@code BufferPoolStats.bytesQuarantined()}). The value's own name (the record component
 * or method name, such as {@code bytesInUse}) is its counter name in reports and its JMX attribute.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.METHOD})
public @interface Metric {

    /**
     * Whether the value only grows or goes up and down.
     *
     * @return the kind of value
     */
    Kind kind();

    /**
     * What the value counts.
     *
     * @return the unit
     */
    Unit unit();

    /**
     * The meter's name in dotted lower case, as Micrometer spells names (for example
     * {@code "memkit.pool.memory"}), or {@code ""} where the value is not a meter of its own because
     * it is the sum of others (an interner's {@code lookups} is {@code hits + misses}, which a
     * metrics system already shows as one meter with a {@code result} tag).
     *
     * @return the meter name, or {@code ""}
     */
    String meter();

    /**
     * Tags that tell this value apart from the others sharing its meter name, each written
     * {@code "key=value"} (for example {@code "state=used"}); the exporter adds the component's
     * {@code name} and {@code type}.
     *
     * @return the tags, none by default
     */
    String[] tags() default {};

    /** Whether a value only grows or goes up and down. */
    enum Kind {
        /** Only grows while the component lives: a number of events or of bytes moved. */
        COUNTER,
        /** A current level that goes up and down, or a high-water mark. */
        GAUGE
    }

    /** What a value counts. */
    enum Unit {
        /** Bytes of memory. */
        BYTES,
        /** A number of events or of things. */
        COUNT
    }
}
