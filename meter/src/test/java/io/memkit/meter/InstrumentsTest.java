package io.memkit.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class InstrumentsTest {

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
        public Map<String, Long> counters() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("hits", hits.get());
            m.put("misses", 7L);
            return m;
        }
    }

    @Test
    void registeredComponentIsListedAndReported() {
        Counting c = new Counting("listed");
        Instruments.register(c);
        Instruments.register(c);
        try {
            c.hits.set(12345);
            assertThat(Instruments.all()).containsOnlyOnce(c);
            assertThat(Instruments.report()).contains("TestCounter").contains("listed").contains("hits")
                    .contains("12,345").contains("misses");
        } finally {
            Instruments.unregister(c);
        }
        assertThat(Instruments.all()).doesNotContain(c);
    }

    @Test
    void jmxExposesCountersUntilUnregistered() throws Exception {
        Counting c = new Counting("jmx \"quoted\"");
        Instruments.register(c);
        Instruments.registerJmx();
        ObjectName name = Instruments.objectName(c);
        assertThat(name).isNotNull();
        assertThat(name.getDomain()).isEqualTo("io.memkit");
        assertThat(ObjectName.unquote(name.getKeyProperty("type"))).isEqualTo("TestCounter");
        c.hits.set(42);
        var server = ManagementFactory.getPlatformMBeanServer();
        assertThat(server.getAttribute(name, "hits")).isEqualTo(42L);
        assertThat(server.getAttribute(name, "Name")).isEqualTo("jmx \"quoted\"");
        Instruments.unregister(c);
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void twoComponentsWithOneNameGetDistinctJmxNames() {
        Counting a = new Counting("twin");
        Counting b = new Counting("twin");
        Instruments.registerJmx();
        Instruments.register(a);
        Instruments.register(b);
        try {
            assertThat(Instruments.objectName(a)).isNotNull().isNotEqualTo(Instruments.objectName(b));
            assertThat(Instruments.objectName(b)).isNotNull();
        } finally {
            Instruments.unregister(a);
            Instruments.unregister(b);
        }
    }

    @Test
    void droppedComponentDoesNotLeakThroughTheRegistry() throws Exception {
        Instruments.registerJmx();
        WeakReference<Counting> ref = registerAndDrop();
        ObjectName name = Instruments.objectName(ref.get());
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(ref.get()).as("component still reachable after 50 GCs: the registry or JMX holds it").isNull();
        Instruments.all(); // expunges
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(name)).isFalse();
    }

    private static WeakReference<Counting> registerAndDrop() {
        Counting c = new Counting("dropped");
        Instruments.register(c);
        return new WeakReference<>(c);
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> Instruments.register(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("component");
        assertThatThrownBy(() -> Instruments.unregister(null)).isInstanceOf(NullPointerException.class);
    }
}
