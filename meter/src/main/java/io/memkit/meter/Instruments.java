package io.memkit.meter;

import java.lang.management.ManagementFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The JVM-wide registry of live memkit components, for reports and JMX.
 *
 * <p>Components {@link #register(Instrumented) register} themselves when created. The registry
 * holds them weakly: a component that the program drops without closing is collected as usual,
 * and disappears from {@link #all()}, {@link #report()} and JMX at the next registry call. After
 * {@link #registerJmx()}, every live component, and every one registered later, is an MXBean named
 * {@code io.memkit:type=<type>,name=<name>} whose attributes are its counters; the bean is
 * unregistered when the component {@link #unregister(Instrumented) unregisters} (on close) or is
 * collected. The beans hold their components weakly too.
 *
 * <p>Thread-safe. Registration takes a lock, so it belongs on cold paths (creating and closing
 * components), never on a per-operation path.
 */
public final class Instruments {

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final ReferenceQueue<Instrumented> COLLECTED = new ReferenceQueue<>();
    /** Guarded by LOCK, in registration order. */
    private static final List<Entry> ENTRIES = new ArrayList<>();
    /** Guarded by LOCK. */
    private static boolean jmxEnabled;

    private Instruments() {
    }

    /**
     * Adds a component to the registry (and to JMX once {@link #registerJmx()} was called).
     * Registering the same instance twice has no further effect.
     *
     * @param component the component; held weakly
     * @throws NullPointerException if {@code component} is {@code null}
     */
    public static void register(Instrumented component) {
        Objects.requireNonNull(component, "component must not be null");
        LOCK.lock();
        try {
            expungeCollected();
            if (indexOf(component) >= 0) {
                return;
            }
            Entry entry = new Entry(component, COLLECTED);
            ENTRIES.add(entry);
            if (jmxEnabled) {
                entry.registerMBean();
            }
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Removes a component from the registry and from JMX; components call this when they close.
     * Does nothing for a component that is not registered.
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
                Entry entry = ENTRIES.remove(i);
                entry.unregisterMBean();
                entry.clear();
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
            for (Entry entry : ENTRIES) {
                Instrumented component = entry.get();
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
     * A human-readable table of every live component's counters: one block per component, one
     * line per counter.
     *
     * @return the table, ending with a line break
     */
    public static String report() {
        List<Instrumented> live = all();
        int typeWidth = "type".length();
        int nameWidth = "name".length();
        int counterWidth = "counter".length();
        List<Map<String, Long>> snapshots = new ArrayList<>(live.size());
        for (Instrumented component : live) {
            Map<String, Long> counters = component.counters();
            snapshots.add(counters);
            typeWidth = Math.max(typeWidth, component.type().length());
            nameWidth = Math.max(nameWidth, component.name().length());
            for (String counter : counters.keySet()) {
                counterWidth = Math.max(counterWidth, counter.length());
            }
        }
        String row = "%-" + typeWidth + "s  %-" + nameWidth + "s  %-" + counterWidth + "s  %,20d%n";
        String head = "%-" + typeWidth + "s  %-" + nameWidth + "s  %-" + counterWidth + "s  %20s%n";
        StringBuilder out = new StringBuilder();
        out.append("memkit instruments: ").append(live.size()).append(live.size() == 1 ? " live component" : " live components")
                .append(System.lineSeparator());
        if (live.isEmpty()) {
            return out.toString();
        }
        out.append(String.format(head, "type", "name", "counter", "value"));
        for (int i = 0; i < live.size(); i++) {
            Instrumented component = live.get(i);
            boolean first = true;
            for (Map.Entry<String, Long> counter : snapshots.get(i).entrySet()) {
                out.append(String.format(row, first ? component.type() : "", first ? component.name() : "",
                        counter.getKey(), counter.getValue()));
                first = false;
            }
            if (first) {
                out.append(String.format(head, component.type(), component.name(), "(no counters)", ""));
            }
        }
        return out.toString();
    }

    /**
     * Exposes every live component, and every component registered from now on, as an MXBean in
     * the platform MBean server under {@code io.memkit:type=<type>,name=<name>} (with an
     * {@code id} key added where two live components share type and name). Calling it again has
     * no further effect.
     *
     * @throws IllegalStateException if the platform MBean server refuses a registration
     */
    public static void registerJmx() {
        LOCK.lock();
        try {
            expungeCollected();
            jmxEnabled = true;
            for (Entry entry : ENTRIES) {
                entry.registerMBean();
            }
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * The JMX name a live component has, if {@link #registerJmx()} has exposed it.
     *
     * @param component the component
     * @return its object name, or {@code null} where it is not exposed
     * @throws NullPointerException if {@code component} is {@code null}
     */
    public static ObjectName objectName(Instrumented component) {
        Objects.requireNonNull(component, "component must not be null");
        LOCK.lock();
        try {
            int i = indexOf(component);
            return i < 0 ? null : ENTRIES.get(i).objectName;
        } finally {
            LOCK.unlock();
        }
    }

    /** Guarded by LOCK. Identity, not equals: two equal components are still two components. */
    private static int indexOf(Instrumented component) {
        for (int i = 0; i < ENTRIES.size(); i++) {
            if (ENTRIES.get(i).refersTo(component)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Guarded by LOCK. Drains the queue, then also sweeps entries already cleared but not yet
     * enqueued: the collector clears a weak reference at once, but the JDK's reference handler
     * thread enqueues it later, and a caller that saw the component gone must see it gone here too.
     */
    private static void expungeCollected() {
        while (COLLECTED.poll() != null) {
            // the sweep below removes what the queue announced
        }
        for (int i = ENTRIES.size() - 1; i >= 0; i--) {
            Entry entry = ENTRIES.get(i);
            if (entry.refersTo(null)) {
                ENTRIES.remove(i);
                entry.unregisterMBean();
            }
        }
    }

    /** A weakly held component, with its JMX name once exposed. */
    private static final class Entry extends WeakReference<Instrumented> {
        private final String type;
        private final String name;
        /** Guarded by LOCK. */
        private ObjectName objectName;

        Entry(Instrumented component, ReferenceQueue<Instrumented> queue) {
            super(component, queue);
            this.type = component.type();
            this.name = component.name();
        }

        void registerMBean() {
            if (objectName != null || get() == null) {
                return;
            }
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            try {
                ObjectName base = new ObjectName("io.memkit", nameKeys(0));
                for (int id = 1; ; id++) {
                    ObjectName candidate = id == 1 ? base : new ObjectName("io.memkit", nameKeys(id));
                    try {
                        server.registerMBean(new ComponentMBean(this), candidate);
                        objectName = candidate;
                        return;
                    } catch (InstanceAlreadyExistsException taken) {
                        // another live component has this type and name: try the next id
                    }
                }
            } catch (JMException e) {
                throw new IllegalStateException("cannot expose " + type + " '" + name + "' over JMX", e);
            }
        }

        private java.util.Hashtable<String, String> nameKeys(int id) {
            java.util.Hashtable<String, String> keys = new java.util.Hashtable<>();
            keys.put("type", ObjectName.quote(type));
            keys.put("name", ObjectName.quote(name));
            if (id > 1) {
                keys.put("id", Integer.toString(id));
            }
            return keys;
        }

        void unregisterMBean() {
            if (objectName == null) {
                return;
            }
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
            } catch (InstanceNotFoundException gone) {
                // someone else unregistered it; nothing left to do
            } catch (JMException e) {
                throw new IllegalStateException("cannot unregister " + objectName, e);
            }
            objectName = null;
        }
    }

    /** Read-only attributes: the component's counters, plus its name. Holds the component weakly. */
    private static final class ComponentMBean implements DynamicMBean {
        private final Entry entry;
        private final MBeanInfo info;

        ComponentMBean(Entry entry) {
            this.entry = entry;
            Instrumented component = entry.get();
            List<MBeanAttributeInfo> attributes = new ArrayList<>();
            attributes.add(new MBeanAttributeInfo("Name", String.class.getName(), "component name", true, false, false));
            if (component != null) {
                for (String counter : component.counters().keySet()) {
                    attributes.add(new MBeanAttributeInfo(counter, long.class.getName(), "counter " + counter,
                            true, false, false));
                }
            }
            this.info = new MBeanInfo(ComponentMBean.class.getName(), entry.type + " '" + entry.name + "'",
                    attributes.toArray(new MBeanAttributeInfo[0]), null, null, null);
        }

        @Override
        public Object getAttribute(String attribute) throws AttributeNotFoundException {
            if ("Name".equals(attribute)) {
                return entry.name;
            }
            Instrumented component = entry.get();
            Long value = component == null ? null : component.counters().get(attribute);
            if (value == null) {
                throw new AttributeNotFoundException("no counter '" + attribute + "' on " + entry.type + " '"
                        + entry.name + "'" + (component == null ? " (collected)" : ""));
            }
            return value;
        }

        @Override
        public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
            throw new AttributeNotFoundException("counters are read-only: " + attribute.getName());
        }

        @Override
        public AttributeList getAttributes(String[] attributes) {
            AttributeList list = new AttributeList();
            for (String attribute : attributes) {
                try {
                    list.add(new Attribute(attribute, getAttribute(attribute)));
                } catch (AttributeNotFoundException missing) {
                    // JMX convention: absent attributes are left out of the list
                }
            }
            return list;
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            return new AttributeList();
        }

        @Override
        public Object invoke(String actionName, Object[] params, String[] signature) {
            throw new UnsupportedOperationException("no operations on " + entry.type + " '" + entry.name + "'");
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            return info;
        }
    }
}
