package io.memkit.meter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The values of one stats record type, each with the {@link Metric} metadata it declares: the one
 * description of a component's metrics that reports, JMX and metrics binders share.
 *
 * <p>The fields are the record's components in declaration order, then its {@code @Metric}
 * methods in name order. {@link #of(Class)} checks the record once and fails on a mistake that
 * would make exporters disagree: a component without {@code @Metric}, a value that is not a
 * {@code long} or {@code int}, a malformed meter name or tag, two values with the same meter name
 * and tags, or one meter name used with two kinds or units.
 *
 * <p>Immutable and thread-safe; schemas are computed once per record type and cached.
 */
public final class StatsSchema {

    private static final Pattern METER_NAME = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*");
    private static final Pattern TAG_PART = Pattern.compile("[a-z][a-zA-Z0-9_.]*");
    private static final ClassValue<StatsSchema> SCHEMAS = new ClassValue<>() {
        @Override
        protected StatsSchema computeValue(Class<?> type) {
            return new StatsSchema(type.asSubclass(Record.class));
        }
    };

    private final Class<? extends Record> type;
    private final List<Field> fields;
    private final Map<String, Field> byName;

    private StatsSchema(Class<? extends Record> type) {
        this.type = type;
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new IllegalArgumentException("stats record " + type.getName()
                    + " must be public so that exporters can read it");
        }
        List<Field> list = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            Metric metric = component.getAnnotation(Metric.class);
            if (metric == null) {
                throw new IllegalArgumentException("stats record " + type.getName() + ": component '"
                        + component.getName() + "' has no @Metric, so exporters cannot tell its kind and unit");
            }
            list.add(new Field(type, component.getName(), component.getAccessor(), metric));
        }
        List<Method> derived = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (method.isAnnotationPresent(Metric.class) && method.getDeclaringClass() == type
                    && !isAccessor(type, method)) {
                derived.add(method);
            }
        }
        derived.sort((a, b) -> a.getName().compareTo(b.getName()));
        for (Method method : derived) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())) {
                throw new IllegalArgumentException("stats record " + type.getName() + ": @Metric method '"
                        + method.getName() + "' must be an instance method without parameters");
            }
            list.add(new Field(type, method.getName(), method, method.getAnnotation(Metric.class)));
        }
        Map<String, Field> names = new LinkedHashMap<>();
        Map<String, Field> meters = new HashMap<>();
        for (Field field : list) {
            names.put(field.name, field);
            if (field.meter.isEmpty()) {
                continue;
            }
            Field same = meters.putIfAbsent(field.meter + field.tags, field);
            if (same != null) {
                throw new IllegalArgumentException("stats record " + type.getName() + ": '" + same.name + "' and '"
                        + field.name + "' are both meter " + field.meter + field.tags);
            }
            for (Field other : list) {
                if (other.meter.equals(field.meter) && (other.kind != field.kind || other.unit != field.unit)) {
                    throw new IllegalArgumentException("stats record " + type.getName() + ": meter " + field.meter
                            + " is " + field.kind + "/" + field.unit + " for '" + field.name + "' but "
                            + other.kind + "/" + other.unit + " for '" + other.name + "'");
                }
            }
        }
        this.fields = Collections.unmodifiableList(list);
        this.byName = Collections.unmodifiableMap(names);
    }

    private static boolean isAccessor(Class<? extends Record> type, Method method) {
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.getAccessor().equals(method)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The schema of a stats record type; computed on first use, then cached.
     *
     * @param type a public record type whose every component carries {@link Metric}
     * @return its schema
     * @throws NullPointerException     if {@code type} is {@code null}
     * @throws IllegalArgumentException if the record breaks a rule listed on this class; the
     *                                  message names the record and the value
     */
    public static StatsSchema of(Class<? extends Record> type) {
        Objects.requireNonNull(type, "type must not be null");
        return SCHEMAS.get(type);
    }

    /**
     * The record type this schema describes.
     *
     * @return the record type
     */
    public Class<? extends Record> type() {
        return type;
    }

    /**
     * Every value of the record: components in declaration order, then {@code @Metric} methods.
     *
     * @return an unmodifiable list
     */
    public List<Field> fields() {
        return fields;
    }

    /**
     * The field with a given value name.
     *
     * @param name a value name such as {@code "bytesInUse"}
     * @return the field, or {@code null} if the record has no such value
     */
    public Field field(String name) {
        return byName.get(name);
    }

    /**
     * Reads every value of a snapshot, in {@link #fields()} order: what
     * {@link Instrumented#counters()} returns.
     *
     * @param stats a snapshot of this schema's type
     * @return an unmodifiable map from value name to value, iterating in field order
     * @throws NullPointerException     if {@code stats} is {@code null}
     * @throws IllegalArgumentException if {@code stats} is of another type
     */
    public Map<String, Long> read(Record stats) {
        check(stats);
        Map<String, Long> values = new LinkedHashMap<>();
        for (Field field : fields) {
            values.put(field.name, field.readChecked(stats));
        }
        return Collections.unmodifiableMap(values);
    }

    private void check(Record stats) {
        Objects.requireNonNull(stats, "stats must not be null");
        if (stats.getClass() != type) {
            throw new IllegalArgumentException("stats of type " + stats.getClass().getName() + " given to the schema of "
                    + type.getName());
        }
    }

    @Override
    public String toString() {
        return "StatsSchema" + fields;
    }

    /** One value of a stats record with its metadata. Immutable. */
    public static final class Field {
        private final Class<? extends Record> owner;
        private final String name;
        private final Method accessor;
        private final Metric.Kind kind;
        private final Metric.Unit unit;
        private final String meter;
        private final Map<String, String> tags;

        Field(Class<? extends Record> owner, String name, Method accessor, Metric metric) {
            this.owner = owner;
            this.name = name;
            this.accessor = accessor;
            Class<?> returns = accessor.getReturnType();
            if (returns != long.class && returns != int.class) {
                throw new IllegalArgumentException("stats record " + owner.getName() + ": '" + name + "' is "
                        + returns.getName() + ", not long or int");
            }
            this.kind = metric.kind();
            this.unit = metric.unit();
            this.meter = metric.meter();
            if (!meter.isEmpty() && !METER_NAME.matcher(meter).matches()) {
                throw new IllegalArgumentException("stats record " + owner.getName() + ": '" + name
                        + "' has meter name '" + meter + "', not dotted lower case such as memkit.pool.memory");
            }
            Map<String, String> parsed = new LinkedHashMap<>();
            for (String tag : metric.tags()) {
                int eq = tag.indexOf('=');
                String key = eq < 0 ? tag : tag.substring(0, eq);
                String value = eq < 0 ? "" : tag.substring(eq + 1);
                if (!TAG_PART.matcher(key).matches() || !TAG_PART.matcher(value).matches()
                        || "name".equals(key) || "type".equals(key) || parsed.put(key, value) != null) {
                    throw new IllegalArgumentException("stats record " + owner.getName() + ": '" + name + "' has tag '"
                            + tag + "', not key=value with a new key other than name and type");
                }
            }
            if (meter.isEmpty() && !parsed.isEmpty()) {
                throw new IllegalArgumentException("stats record " + owner.getName() + ": '" + name
                        + "' has tags but no meter name");
            }
            this.tags = Collections.unmodifiableMap(parsed);
        }

        /**
         * The value's name: the record component or method name, for example {@code "bytesInUse"}.
         *
         * @return the name
         */
        public String name() {
            return name;
        }

        /**
         * Counter or gauge.
         *
         * @return the kind
         */
        public Metric.Kind kind() {
            return kind;
        }

        /**
         * Bytes or a count.
         *
         * @return the unit
         */
        public Metric.Unit unit() {
            return unit;
        }

        /**
         * The meter name, or {@code ""} where the value is the sum of other meters.
         *
         * @return the meter name
         * @see Metric#meter()
         */
        public String meter() {
            return meter;
        }

        /**
         * The value's own tags, without the component's {@code name} and {@code type}.
         *
         * @return an unmodifiable map, iterating in declaration order
         */
        public Map<String, String> tags() {
            return tags;
        }

        /**
         * Reads this value from a snapshot. O(1), no allocation beyond reflection's own.
         *
         * @param stats a snapshot of the schema's record type
         * @return the value
         * @throws NullPointerException     if {@code stats} is {@code null}
         * @throws IllegalArgumentException if {@code stats} is of another type
         */
        public long read(Record stats) {
            Objects.requireNonNull(stats, "stats must not be null");
            if (stats.getClass() != owner) {
                throw new IllegalArgumentException("stats of type " + stats.getClass().getName() + " given to field '"
                        + name + "' of " + owner.getName());
            }
            return readChecked(stats);
        }

        long readChecked(Record stats) {
            try {
                return ((Number) accessor.invoke(stats)).longValue();
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read '" + name + "' of " + owner.getName()
                        + ": its package must be exported", e);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw new IllegalStateException("'" + name + "' of " + owner.getName() + " failed", cause);
            }
        }

        @Override
        public String toString() {
            return name + "(" + kind + ", " + unit + (meter.isEmpty() ? "" : ", " + meter + tags) + ")";
        }
    }
}
