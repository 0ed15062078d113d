package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

class PoolEventsTest {

    @Test
    void eventsAreRecordedWithTheirFields() throws Exception {
        Path file = Files.createTempFile("memkit-events", ".jfr");
        try (Recording r = new Recording()) {
            r.enable("io.memkit.LeakDetected");
            r.enable("io.memkit.PoolExhausted");
            r.start();
            PoolEvents.leakDetected("io", "BufferPool", 4096, "worker-1",
                    new StackTraceElement[] {new StackTraceElement("a.B", "c", "B.java", 7)}, true);
            PoolEvents.exhausted("io", "BufferPool", 8192, "WAIT", 1_500_000, true);
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.delete(file);
        RecordedEvent leak = only(events, "io.memkit.LeakDetected");
        assertThat(leak.getString("pool")).isEqualTo("io");
        assertThat(leak.getString("poolType")).isEqualTo("BufferPool");
        assertThat(leak.getLong("capacity")).isEqualTo(4096);
        assertThat(leak.getString("acquiringThread")).isEqualTo("worker-1");
        assertThat(leak.getString("acquiredAt")).contains("a.B.c(B.java:7)");
        assertThat(leak.getBoolean("reclaimed")).isTrue();
        RecordedEvent ex = only(events, "io.memkit.PoolExhausted");
        assertThat(ex.getLong("requested")).isEqualTo(8192);
        assertThat(ex.getString("policy")).isEqualTo("WAIT");
        assertThat(ex.getDuration("waited")).isEqualTo(Duration.ofNanos(1_500_000));
        assertThat(ex.getBoolean("failed")).isTrue();
    }

    @Test
    void nothingIsRecordedWhenTheEventIsDisabled() throws Exception {
        Path file = Files.createTempFile("memkit-events", ".jfr");
        try (Recording r = new Recording()) {
            r.enable("io.memkit.PoolExhausted");
            r.disable("io.memkit.LeakDetected");
            r.start();
            PoolEvents.leakDetected("io", "BufferPool", 1, "t", new StackTraceElement[0], false);
            PoolEvents.exhausted("io", "BufferPool", 1, "FAIL", 0, true);
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.delete(file);
        assertThat(names(events)).contains("io.memkit.PoolExhausted").doesNotContain("io.memkit.LeakDetected");
    }

    private static RecordedEvent only(List<RecordedEvent> events, String name) {
        List<RecordedEvent> matching = events.stream()
                .filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
        assertThat(matching).as("%s events in %s", name, names(events)).hasSize(1);
        return matching.get(0);
    }

    private static List<String> names(List<RecordedEvent> events) {
        return events.stream().map(e -> e.getEventType().getName()).distinct().collect(Collectors.toList());
    }
}
