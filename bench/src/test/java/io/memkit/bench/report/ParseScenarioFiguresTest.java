package io.memkit.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.memkit.bench.report.scenarios.ParseScenario;
import io.memkit.meter.MemoryMeter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real parse scenario, run as the report runs it (shortened), must give its known figures:
 * exactly one 24-byte Slice per record for memkit, and exactly the fields' byte[] copies for the
 * naive row; and the report it writes must pass CI's check.
 */
class ParseScenarioFiguresTest {
    private static final Settings SHORT = new Settings(true, 200, 3, 10, 10);

    @Test
    void parseGivesExactlyOneSlicePerRecordAndTheCopiesBytes(@TempDir Path dir) throws Exception {
        assumeThat(MemoryMeter.isSupported()).as("per-thread allocation counter").isTrue();
        Report report = ReportCommand.runScenarios(List.of(new ParseScenario()), SHORT, line -> { });
        ScenarioResult parse = report.scenarios().get(0);
        assertThat(parse.error()).isNull();
        Map<String, VariantResult> byName = new HashMap<>();
        for (VariantResult v : parse.variants()) {
            assertThat(v.error()).as(v.name()).isNull();
            byName.put(v.name(), v);
        }
        VariantResult slice = byName.get("memkit Slice");
        assertThat(slice.bytesPerOp()).as("heap bytes per buffer of %d records", ParseScenario.RECORDS)
                .isEqualTo(24.0 * ParseScenario.RECORDS);
        VariantResult copy = byName.get("copy each field (byte[])");
        assertThat(copy.bytesPerOp()).as("one byte[] per field, nothing else").isEqualTo((double) copiedBytes());
        assertThat(parse.savedVsNaive(slice)).isGreaterThan(0.8);

        List<String> problems = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        ReportCheck.check(ReportCommand.write(report, dir).resolve("report.json"), problems, failures);
        assertThat(problems).isEmpty();
        assertThat(failures).isEmpty();
    }

    /** What copying every field of the scenario's records allocates: each byte[] as this JVM sizes it. */
    private static long copiedBytes() {
        ByteBuffer data = ByteBuffer.wrap(ParseScenario.records(ParseScenario.RECORDS, ParseScenario.SEED));
        Map<Integer, Long> sizes = new HashMap<>();
        long total = 0;
        for (int at = 0; at < data.limit(); ) {
            int len = data.getInt(at);
            total += sizes.computeIfAbsent(len, ParseScenarioFiguresTest::arrayBytes);
            at += 4 + len;
        }
        return total;
    }

    private static long arrayBytes(int length) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            min = Math.min(min, MemoryMeter.measure(() -> Sink.keep(new byte[length])).allocatedBytes());
        }
        return min;
    }
}
