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

    @Test
    void realPoolsReportExhaustionLeaksAndPeriodicStatistics() throws Exception {
        Path file = Files.createTempFile("memkit-events", ".jfr");
        java.util.List<io.memkit.pools.LeakReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Recording r = new Recording()) {
            r.enable("io.memkit.LeakDetected");
            r.enable("io.memkit.PoolExhausted");
            r.enable("io.memkit.PoolStatistics").withPeriod(Duration.ofMillis(50));
            r.start();
            try (io.memkit.pools.BufferPool pool = io.memkit.pools.BufferPool.builder().name("jfr-test")
                    .maxBytes(4096).leakDetection(io.memkit.pools.LeakDetection.PARANOID)
                    .leakListener(reports::add).build()) {
                io.memkit.pools.PooledBuffer held = pool.acquire(4096);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.acquire(4096))
                        .isInstanceOf(io.memkit.pools.PoolExhaustedException.class);
                held.close();
                leakOne(pool);
                for (int i = 0; i < 100 && reports.isEmpty(); i++) {
                    System.gc();
                    Thread.sleep(20);
                    pool.stats(); // expunges collected handles
                }
                assertThat(reports).as("leak reported within 100 GCs").isNotEmpty();
                Thread.sleep(200); // at least one statistics period while the pool is alive
            }
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.delete(file);
        RecordedEvent ex = only(events.stream().filter(e -> "jfr-test".equals(field(e, "pool")))
                .collect(Collectors.toList()), "io.memkit.PoolExhausted");
        assertThat(ex.getLong("requested")).isEqualTo(4096);
        assertThat(ex.getString("policy")).isEqualTo("FAIL");
        assertThat(ex.getBoolean("failed")).isTrue();
        RecordedEvent leak = only(events.stream().filter(e -> "jfr-test".equals(field(e, "pool")))
                .collect(Collectors.toList()), "io.memkit.LeakDetected");
        assertThat(leak.getLong("capacity")).isEqualTo(1000);
        assertThat(leak.getString("acquiringThread")).isEqualTo(Thread.currentThread().getName());
        assertThat(leak.getString("acquiredAt")).startsWith("at " + reports.get(0).acquiredAt()[0] + "\n");
        assertThat(events.stream().filter(e -> e.getEventType().getName().equals("io.memkit.PoolStatistics")
                && "jfr-test".equals(e.getString("pool")))).as("periodic statistics of the pool").isNotEmpty();
    }

    private static void leakOne(io.memkit.pools.BufferPool pool) {
        pool.acquire(1000).slice().putInt(0, 1); // dropped without close
    }

    private static Object field(RecordedEvent e, String name) {
        return e.hasField(name) ? e.getValue(name) : null;
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
