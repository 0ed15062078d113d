package io.memkit.meter;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JVM-wide registry of live memkit components, for reports, JMX and metrics binders.
 *
 * <p>Whoever creates a component {@link #register(Instrumented) registers} it once it is fully
 * built (builders and factory methods do it for memkit's components). The registry holds
 * components weakly: a component that the program drops without closing is collected as usual
 * and leaves {@link #all()}, {@link #report()}, JMX and every {@link Listener} at the next
 * registry call. {@link #registerJmx()} exposes the components as MBeans; a metrics binder
 * follows the registry with {@link #addListener(Listener)}.
 *
 * <p>This class needs only {@code java.base}: JMX lives in a separate class that is loaded when
 * {@link #registerJmx()} is first called, so a modular application without
 * {@code java.management} can still use every pool and cache.
 *
 * <p>Thread-safe. Registration takes a lock, so it belongs on cold paths (creating and closing
 * components), never on a per-operation path.
 */
public final class Instruments {

    private static final ReentrantLock LOCK = new ReentrantLock();
    /** Guarded by LOCK, in registration order. */
    private static final List<Registration> ENTRIES = new ArrayList<>();
    /** Guarded by LOCK; listeners are held weakly, so a dropped metrics registry can be collected. */
    private static final List<WeakReference<Listener>> LISTENERS = new ArrayList<>();
    /** Guarded by LOCK; the JMX exporter once enabled, held strongly for the JVM's lifetime. */
    private static Listener jmx;

    private Instruments() {
    }

    /**
     * Adds a fully built component to the registry, and tells JMX and every listener. Registering
     * the same instance twice has no further effect.
     *
     * @param component the component; held weakly
     * @param <T>       the component's type
     * @return {@code component}, so that a factory can {@code return Instruments.register(new X(..))}
     * @throws NullPointerException if {@code component} is {@code null}
     */
    public static <T extends Instrumented> T register(T component) {
        Objects.requireNonNull(component, "component must not be null");
        LOCK.lock();
        try {
            expungeCollected();
            if (indexOf(component) >= 0) {
                return component;
            }
            Registration registration = new Registration(component);
            ENTRIES.add(registration);
            notify(registration, true);
            return component;
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Removes a component from the registry, JMX and every listener; components call this when
     * they close. Does nothing for a component that is not registered.
     *
     * @param component the component
     * @throws NullPointerException if {@code component} is {@code null}
     */
    public static void unregister(Instrumented component) {
        Objects.requireNonNull(component, "component must not be null");
        LOCK.lock();
        try {
            expungeCollected();
            int i = indexOf(component);
            if (i >= 0) {
                remove(i);
            }
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * The live registered components, in the order they registered.
     *
     * @return an unmodifiable snapshot; it holds the components strongly, so don't keep it
     */
    public static List<Instrumented> all() {
        LOCK.lock();
        try {
            expungeCollected();
            List<Instrumented> live = new ArrayList<>(ENTRIES.size());
            for (Registration entry : ENTRIES) {
                Instrumented component = entry.component();
                if (component != null) {
                    live.add(component);
                }
            }
            return Collections.unmodifiableList(live);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Follows the registry: {@code listener} is told of every live component at once, then of each
     * one added or removed (unregistered or collected) from now on, in order, until the listener
     * itself is collected. The registry holds listeners weakly: keep the listener reachable as long
     * as it should listen (a metrics binder lets its meter registry hold it).
     *
     * <p>Listeners are called under the registry's lock, one event at a time, so that they see
     * every component's addition before its removal. They must be quick and must not wait for
     * another thread that uses the registry.
     *
     * @param listener the listener
     * @throws NullPointerException if {@code listener} is {@code null}
     */
    public static void addListener(Listener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        LOCK.lock();
        try {
            expungeCollected();
            LISTENERS.add(new WeakReference<>(listener));
            for (Registration entry : ENTRIES) {
                listener.added(entry);
            }
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * A human-readable table of every live component's values: one block per component, one line
     * per value with its kind ({@code counter} or {@code gauge}) and unit.
     *
     * @return the table, ending with a line break
     */
    public static String report() {
        List<Instrumented> live = all();
        List<List<String[]>> blocks = new ArrayList<>(live.size());
        int[] width = {"type".length(), "name".length(), "value name".length(), "kind".length(), "unit".length()};
        for (Instrumented component : live) {
            List<String[]> rows = rows(component);
            blocks.add(rows);
            width[0] = Math.max(width[0], component.type().length());
            width[1] = Math.max(width[1], component.name().length());
            for (String[] row : rows) {
                for (int c = 0; c < 3; c++) {
                    width[c + 2] = Math.max(width[c + 2], row[c].length());
                }
            }
        }
        String format = "%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %-" + width[3] + "s  %-"
                + width[4] + "s  %20s%n";
        StringBuilder out = new StringBuilder();
        out.append("memkit instruments: ").append(live.size()).append(live.size() == 1 ? " live component" : " live components")
                .append(System.lineSeparator());
        if (live.isEmpty()) {
            return out.toString();
        }
        out.append(String.format(format, "type", "name", "value name", "kind", "unit", "value"));
        for (int i = 0; i < live.size(); i++) {
            Instrumented component = live.get(i);
            boolean first = true;
            for (String[] row : blocks.get(i)) {
                out.append(String.format(format, first ? component.type() : "", first ? component.name() : "",
                        row[0], row[1], row[2], row[3]));
                first = false;
            }
            if (first) {
                out.append(String.format(format, component.type(), component.name(), "(no values)", "", "", ""));
            }
        }
        return out.toString();
    }

    /** Name, kind, unit and formatted value of each of a component's values. */
    private static List<String[]> rows(Instrumented component) {
        List<String[]> rows = new ArrayList<>();
        Record stats = component.stats();
        if (stats != null) {
            for (StatsSchema.Field field : StatsSchema.of(stats.getClass()).fields()) {
                rows.add(new String[] {field.name(), field.kind().name().toLowerCase(Locale.ROOT),
                        field.unit().name().toLowerCase(Locale.ROOT), String.format("%,d", field.read(stats))});
            }
        } else {
            for (Map.Entry<String, Long> counter : component.counters().entrySet()) {
                rows.add(new String[] {counter.getKey(), "?", "?", String.format("%,d", counter.getValue())});
            }
        }
        return rows;
    }

    /**
     * Exposes every live component, and every component registered from now on, as an MBean in
     * the platform MBean server named {@code io.memkit:type=<type>,name=<name>} (a value quoted
     * only where {@code ObjectName} requires it, and an {@code id} key added where two live
     * components share type and name). Each value of the component's stats record is a read-only
     * {@code long} attribute whose descriptor carries {@code metricType} ({@code counter} or
     * {@code gauge}) and {@code units} ({@code bytes} or {@code count}). Calling it again has no
     * further effect.
     *
     * @throws IllegalStateException if the platform MBean server refuses a registration, or the
     *                               runtime has no {@code java.management} module
     */
    public static void registerJmx() {
        LOCK.lock();
        try {
            if (jmx != null) {
                return;
            }
            Listener exporter;
            try {
                exporter = JmxExporter.create();
            } catch (NoClassDefFoundError e) {
                throw new IllegalStateException("JMX needs the java.management module: add 'requires java.management;'"
                        + " to the application's module-info or run with --add-modules java.management", e);
            }
            addListener(exporter);
            jmx = exporter;
        } finally {
            LOCK.unlock();
        }
    }

    /** Runs {@code action} under the registry's lock, with collected components expunged; for this package. */
    static <R> R locked(java.util.function.Function<List<Registration>, R> action) {
        LOCK.lock();
        try {
            expungeCollected();
            return action.apply(Collections.unmodifiableList(ENTRIES));
        } finally {
            LOCK.unlock();
        }
    }

    /** Guarded by LOCK. Identity, not equals: two equal components are still two components. */
    private static int indexOf(Instrumented component) {
        for (int i = 0; i < ENTRIES.size(); i++) {
            if (ENTRIES.get(i).ref.refersTo(component)) {
                return i;
            }
        }
        return -1;
    }

    /** Guarded by LOCK. */
    private static void remove(int i) {
        Registration entry = ENTRIES.remove(i);
        entry.ref.clear();
        notify(entry, false);
    }

    /**
     * Guarded by LOCK. Tells every listener, even when one throws: a failing exporter must not keep
     * the others from seeing the change. The first failure is rethrown afterwards.
     */
    private static void notify(Registration entry, boolean added) {
        RuntimeException failure = null;
        for (Listener listener : listeners()) {
            try {
                if (added) {
                    listener.added(entry);
                } else {
                    listener.removed(entry);
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Guarded by LOCK. The live listeners; drops collected ones. */
    private static List<Listener> listeners() {
        List<Listener> live = new ArrayList<>(LISTENERS.size());
        for (int i = LISTENERS.size() - 1; i >= 0; i--) {
            Listener listener = LISTENERS.get(i).get();
            if (listener == null) {
                LISTENERS.remove(i);
            } else {
                live.add(0, listener);
            }
        }
        return live;
    }

    /**
     * Guarded by LOCK. Removes every entry whose component was collected. A sweep rather than a
     * reference queue: the collector clears a weak reference at once but enqueues it later, and a
     * caller that saw the component gone must see it gone here too.
     */
    private static void expungeCollected() {
        for (int i = ENTRIES.size() - 1; i >= 0; i--) {
            if (ENTRIES.get(i).ref.refersTo(null)) {
                remove(i);
            }
        }
    }

    /**
     * Told when components join and leave the registry; see {@link #addListener(Listener)}.
     * A listener must not hold a component strongly, or the component can never be collected.
     */
    public interface Listener {

        /**
         * A component joined the registry (or was live when the listener was added).
         *
         * @param registration the component's registration; its {@link Registration#component()}
         *                     may already be {@code null} if the component was just collected
         */
        void added(Registration registration);

        /**
         * A component left the registry: it was unregistered, or it was collected.
         *
         * @param registration the same object {@link #added(Registration)} received
         */
        void removed(Registration registration);
    }

    /**
     * One component's place in the registry: its type and name as they were when it registered,
     * and a weak reference to it. Listeners may use it as an identity key.
     */
    public static final class Registration {
        private final WeakReference<Instrumented> ref;
        private final String type;
        private final String name;

        Registration(Instrumented component) {
            this.ref = new WeakReference<>(component);
            this.type = component.type();
            this.name = component.name();
        }

        /**
         * The component, if it is still reachable and registered.
         *
         * @return the component, or {@code null} once it was collected or unregistered
         */
        public Instrumented component() {
            return ref.get();
        }

        /**
         * The component's {@link Instrumented#type()} when it registered.
         *
         * @return the type
         */
        public String type() {
            return type;
        }

        /**
         * The component's {@link Instrumented#name()} when it registered.
         *
         * @return the name
         */
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return type + " '" + name + "'";
        }
    }
}
