package io.memkit.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.meter.Metric.Kind;
import io.memkit.meter.Metric.Unit;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanAttributeInfo;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class InstrumentsTest {

    /** A stats record as memkit's components declare theirs. */
    public record TestStats(
            @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.test.hits") long hits,
            @Metric(kind = Kind.GAUGE, unit = Unit.BYTES, meter = "memkit.test.memory", tags = "state=used") long bytesUsed) {
    }

    static final class Counting implements Instrumented {
        final String name;
        final AtomicLong hits = new AtomicLong();

        Counting(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String type() {
            return "TestCounter";
        }

        @Override
        public TestStats stats() {
            return new TestStats(hits.get(), 7);
        }
    }

    @Test
    void registeredComponentIsListedAndReportedWithKindAndUnit() {
        Counting c = Instruments.register(new Counting("listed"));
        assertThat(Instruments.register(c)).isSameAs(c);
        try {
            c.hits.set(12345);
            assertThat(Instruments.all()).containsOnlyOnce(c);
            String report = Instruments.report();
            assertThat(report).contains("TestCounter").contains("listed").contains("12,345");
            assertThat(report.lines().filter(l -> l.contains("hits")).findFirst().orElseThrow())
                    .contains("counter").contains("count").contains("12,345");
            assertThat(report.lines().filter(l -> l.contains("bytesUsed")).findFirst().orElseThrow())
                    .contains("gauge").contains("bytes");
        } finally {
            Instruments.unregister(c);
        }
        assertThat(Instruments.all()).doesNotContain(c);
    }

    @Test
    void countersAreDerivedFromTheStatsRecord() {
        Counting c = new Counting("derived");
        c.hits.set(3);
        assertThat(c.counters()).containsExactly(java.util.Map.entry("hits", 3L), java.util.Map.entry("bytesUsed", 7L));
    }

    @Test
    void jmxNamesQuoteOnlyWhereObjectNameRequires() throws Exception {
        assertThat(JmxExporter.objectName("BufferPool", "io", 1).toString()).isEqualTo("io.memkit:type=BufferPool,name=io");
        assertThat(JmxExporter.objectName("BufferPool", "BufferPool-3", 2).toString())
                .isEqualTo("io.memkit:type=BufferPool,name=BufferPool-3,id=2");
        for (String raw : List.of("a,b", "a=b", "a:b", "a\"b", "a*", "a?", "two\nlines", "back\\slash")) {
            ObjectName name = JmxExporter.objectName("T", raw, 1);
            assertThat(name.isPattern()).as(raw).isFalse();
            String value = name.getKeyProperty("name");
            assertThat(value.startsWith("\"") ? ObjectName.unquote(value) : value).as(raw).isEqualTo(raw);
        }
        assertThat(JmxExporter.value("back\\slash")).isEqualTo("back\\slash");
        assertThat(JmxExporter.value("a,b")).isEqualTo("\"a,b\"");
    }

    @Test
    void jmxExposesTypedValuesUntilUnregistered() throws Exception {
        Counting c = Instruments.register(new Counting("jmx \"quoted\""));
        Instruments.registerJmx();
        ObjectName name = JmxExporter.objectNameOf(c);
        assertThat(name).isNotNull();
        assertThat(name.getDomain()).isEqualTo("io.memkit");
        assertThat(name.getKeyProperty("type")).isEqualTo("TestCounter");
        c.hits.set(42);
        var server = ManagementFactory.getPlatformMBeanServer();
        assertThat(server.getAttribute(name, "hits")).isEqualTo(42L);
        assertThat(server.getAttribute(name, "bytesUsed")).isEqualTo(7L);
        assertThat(server.getAttribute(name, "Name")).isEqualTo("jmx \"quoted\"");
        MBeanAttributeInfo hits = attribute(server.getMBeanInfo(name).getAttributes(), "hits");
        assertThat(hits.getDescriptor().getFieldValue("metricType")).isEqualTo("counter");
        assertThat(hits.getDescriptor().getFieldValue("units")).isEqualTo("count");
        MBeanAttributeInfo bytes = attribute(server.getMBeanInfo(name).getAttributes(), "bytesUsed");
        assertThat(bytes.getDescriptor().getFieldValue("metricType")).isEqualTo("gauge");
        assertThat(bytes.getDescriptor().getFieldValue("units")).isEqualTo("bytes");
        Instruments.unregister(c);
        assertThat(server.isRegistered(name)).isFalse();
    }

    private static MBeanAttributeInfo attribute(MBeanAttributeInfo[] attributes, String name) {
        for (MBeanAttributeInfo a : attributes) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        throw new AssertionError("no attribute " + name);
    }

    @Test
    void twoComponentsWithOneNameGetDistinctJmxNames() {
        Instruments.registerJmx();
        Counting a = Instruments.register(new Counting("twin"));
        Counting b = Instruments.register(new Counting("twin"));
        try {
            assertThat(JmxExporter.objectNameOf(a)).isNotNull().isNotEqualTo(JmxExporter.objectNameOf(b));
            assertThat(JmxExporter.objectNameOf(b)).isNotNull();
        } finally {
            Instruments.unregister(a);
            Instruments.unregister(b);
        }
    }

    static final class Recording implements Instruments.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void added(Instruments.Registration registration) {
            if (registration.type().equals("TestCounter")) {
                events.add("+" + registration.name());
            }
        }

        @Override
        public void removed(Instruments.Registration registration) {
            if (registration.type().equals("TestCounter")) {
                events.add("-" + registration.name());
            }
        }
    }

    @Test
    void listenerSeesLiveComponentsThenEachChangeInOrder() {
        Counting before = Instruments.register(new Counting("before"));
        Recording listener = new Recording();
        Instruments.addListener(listener);
        Counting after = Instruments.register(new Counting("after"));
        Instruments.unregister(before);
        Instruments.unregister(after);
        Instruments.unregister(after);
        assertThat(listener.events).containsSubsequence("+before", "+after", "-before", "-after");
        assertThat(listener.events.stream().filter(e -> e.equals("-after"))).hasSize(1);
    }

    @Test
    void droppedComponentLeavesRegistryJmxAndListeners() throws Exception {
        Instruments.registerJmx();
        Recording listener = new Recording();
        Instruments.addListener(listener);
        WeakReference<Counting> ref = registerAndDrop();
        ObjectName name = JmxExporter.objectNameOf(ref.get());
        assertThat(name).isNotNull();
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(ref.get()).as("component still reachable after 50 GCs: the registry or JMX holds it").isNull();
        Instruments.all(); // expunges
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(name)).isFalse();
        assertThat(listener.events).contains("+dropped", "-dropped");
    }

    private static WeakReference<Counting> registerAndDrop() {
        Counting c = Instruments.register(new Counting("dropped"));
        return new WeakReference<>(c);
    }

    @Test
    void droppedListenerIsNotKeptAlive() throws Exception {
        WeakReference<Recording> ref = new WeakReference<>(addAndDropListener());
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(ref.get()).as("listener still reachable after 50 GCs: the registry holds it").isNull();
        Counting c = Instruments.register(new Counting("after-listener"));
        Instruments.unregister(c);
    }

    private static Recording addAndDropListener() {
        Recording listener = new Recording();
        Instruments.addListener(listener);
        return listener;
    }

    @Test
    void componentWithoutStatsRecordIsReportedUntyped() {
        Instrumented legacy = new Instrumented() {
            @Override
            public String name() {
                return "legacy";
            }

            @Override
            public java.util.Map<String, Long> counters() {
                return java.util.Map.of("things", 5L);
            }
        };
        Instruments.register(legacy);
        try {
            assertThat(Instruments.report()).contains("legacy").contains("things");
        } finally {
            Instruments.unregister(legacy);
        }
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> Instruments.register(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("component");
        assertThatThrownBy(() -> Instruments.unregister(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Instruments.addListener(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("listener");
    }
}
