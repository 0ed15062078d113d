package io.memkit.meter;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.ImmutableDescriptor;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Exposes registered components as MBeans; the only class of memkit that uses
 * {@code java.management}, loaded only once {@link Instruments#registerJmx()} is called.
 * Each bean holds its component weakly, through the registration.
 */
final class JmxExporter implements Instruments.Listener {

    private static final String DOMAIN = "io.memkit";
    /** Guarded by the registry's lock (listeners are called under it). */
    private static final Map<Instruments.Registration, ObjectName> NAMES = new IdentityHashMap<>();

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    private JmxExporter() {
    }

    /** The exporter, typed as a listener so that callers never load this class to verify theirs. */
    static Instruments.Listener create() {
        return new JmxExporter();
    }

    @Override
    public void added(Instruments.Registration registration) {
        Instrumented component = registration.component();
        if (component == null || NAMES.containsKey(registration)) {
            return;
        }
        try {
            ComponentMBean bean = new ComponentMBean(registration, component);
            for (int id = 1; ; id++) {
                ObjectName candidate = objectName(registration.type(), registration.name(), id);
                try {
                    server.registerMBean(bean, candidate);
                    NAMES.put(registration, candidate);
                    return;
                } catch (InstanceAlreadyExistsException taken) {
                    // another live component has this type and name: try the next id
                }
            }
        } catch (JMException e) {
            throw new IllegalStateException("cannot expose " + registration + " over JMX", e);
        }
    }

    @Override
    public void removed(Instruments.Registration registration) {
        ObjectName name = NAMES.remove(registration);
        if (name == null) {
            return;
        }
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException gone) {
            // someone else unregistered it; nothing left to do
        } catch (JMException e) {
            throw new IllegalStateException("cannot unregister " + name, e);
        }
    }

    /**
     * The JMX name a registered component has, or {@code null} where JMX is off or the component
     * is not registered. For tests.
     */
    static ObjectName objectNameOf(Instrumented component) {
        return Instruments.locked(entries -> {
            for (Instruments.Registration registration : entries) {
                if (registration.component() == component) {
                    return NAMES.get(registration);
                }
            }
            return null;
        });
    }

    /**
     * {@code io.memkit:type=<type>,name=<name>[,id=<id>]}, keys in that order, as the JDK's and
     * other libraries' beans are named.
     */
    static ObjectName objectName(String type, String name, int id) throws MalformedObjectNameException {
        return new ObjectName(DOMAIN + ":type=" + value(type) + ",name=" + value(name) + (id > 1 ? ",id=" + id : ""));
    }

    /**
     * A key value as written: unquoted unless it holds a character that an unquoted value may not
     * hold ({@code , = : "}), that would make the name a pattern ({@code * ?}), or a line break.
     */
    static String value(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            switch (raw.charAt(i)) {
                case ',': case '=': case ':': case '"': case '*': case '?': case '\n': case '\r':
                    return ObjectName.quote(raw);
                default:
                    break;
            }
        }
        return raw;
    }

    /** Read-only attributes: the component's values, plus its name. Holds the component weakly. */
    private static final class ComponentMBean implements DynamicMBean {
        private final Instruments.Registration registration;
        private final MBeanInfo info;

        ComponentMBean(Instruments.Registration registration, Instrumented component) {
            this.registration = registration;
            List<MBeanAttributeInfo> attributes = new ArrayList<>();
            attributes.add(new MBeanAttributeInfo("Name", String.class.getName(), "component name", true, false, false));
            Record stats = component.stats();
            if (stats != null) {
                for (StatsSchema.Field field : StatsSchema.of(stats.getClass()).fields()) {
                    String kind = field.kind().name().toLowerCase(Locale.ROOT);
                    String unit = field.unit().name().toLowerCase(Locale.ROOT);
                    attributes.add(new MBeanAttributeInfo(field.name(), long.class.getName(),
                            kind + " in " + unit + (field.meter().isEmpty() ? "" : ", meter " + field.meter() + field.tags()),
                            true, false, false, new ImmutableDescriptor("metricType=" + kind, "units=" + unit)));
                }
            } else {
                for (String counter : component.counters().keySet()) {
                    attributes.add(new MBeanAttributeInfo(counter, long.class.getName(), "counter " + counter,
                            true, false, false));
                }
            }
            this.info = new MBeanInfo(ComponentMBean.class.getName(), registration.toString(),
                    attributes.toArray(new MBeanAttributeInfo[0]), null, null, null);
        }

        @Override
        public Object getAttribute(String attribute) throws AttributeNotFoundException {
            if ("Name".equals(attribute)) {
                return registration.name();
            }
            Instrumented component = registration.component();
            Long value = null;
            if (component != null) {
                Record stats = component.stats();
                if (stats != null) {
                    StatsSchema.Field field = StatsSchema.of(stats.getClass()).field(attribute);
                    value = field == null ? null : field.read(stats);
                } else {
                    value = component.counters().get(attribute);
                }
            }
            if (value == null) {
                throw new AttributeNotFoundException("no value '" + attribute + "' on " + registration
                        + (component == null ? " (collected)" : ""));
            }
            return value;
        }

        @Override
        public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
            throw new AttributeNotFoundException("values are read-only: " + attribute.getName());
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
            throw new UnsupportedOperationException("no operations on " + registration);
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            return info;
        }
    }
}
