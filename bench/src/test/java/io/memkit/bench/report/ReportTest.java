package io.memkit.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.memkit.meter.MemoryMeter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final Settings TINY = new Settings(true, 20, 3, 5, 10);

    /** Allocates one byte[1000] per op and keeps it. */
    static final class ArrayPerOp extends Variant {
        ArrayPerOp(Role role) {
            super("byte[1000] per op", role);
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int i = 0; i < ops; i++) {
                byte[] b = new byte[1000];
                sum += b.length;
                Sink.keep(b);
            }
            return sum;
        }
    }

    /** Allocates nothing. */
    static final class Nothing extends Variant {
        Nothing() {
            super("no allocation", Role.MEMKIT);
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int i = 0; i < ops; i++) {
                sum += i;
            }
            return sum;
        }
    }

    /** Throws on the first batch. */
    static final class Broken extends Variant {
        boolean tornDown;

        Broken() {
            super("broken", Role.PEER);
        }

        @Override
        public long batch(int ops) {
            throw new IllegalStateException("broken on purpose");
        }

        @Override
        public void tearDown() {
            tornDown = true;
        }
    }

    static final class Tiny extends VariantScenario {
        final Broken broken = new Broken();

        @Override
        public String id() {
            return "tiny";
        }

        @Override
        public String title() {
            return "A tiny scenario";
        }

        @Override
        public String description() {
            return "Arrays vs nothing <b>escaped</b> & \"quoted\".";
        }

        @Override
        protected List<Variant> variants(ScenarioContext context) {
            return List.of(new ArrayPerOp(Role.NAIVE), new Nothing(), broken);
        }
    }

    static final class Throwing implements Scenario {
        @Override
        public String id() {
            return "throwing";
        }

        @Override
        public String title() {
            return "Fails as a whole";
        }

        @Override
        public String description() {
            return "Throws before any variant runs.";
        }

        @Override
        public ScenarioResult run(ScenarioContext context) {
            throw new UnsupportedOperationException("not today");
        }
    }

    @Test
    void measuresExactBytesPerOpAndKeepsFailuresAsRows() {
        assumeThat(MemoryMeter.isSupported()).as("per-thread allocation counter").isTrue();
        long arrayBytes = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) { // the first calls also pay for class initialization
            arrayBytes = Math.min(arrayBytes, MemoryMeter.measure(() -> Sink.keep(new byte[1000])).allocatedBytes());
        }
        assertThat(arrayBytes).as("a byte[1000] with its header, 8-byte aligned").isBetween(1012L, 1024L);
        Tiny tiny = new Tiny();
        List<String> progress = new ArrayList<>();
        Report report = ReportCommand.runScenarios(List.of(tiny, new Throwing()), TINY, progress::add);

        ScenarioResult s = report.scenarios().get(0);
        assertThat(s.variants()).extracting(VariantResult::name).containsExactly("byte[1000] per op", "no allocation", "broken");
        VariantResult naive = s.variants().get(0);
        assertThat(naive.bytesPerOp()).isEqualTo((double) arrayBytes);
        assertThat(naive.nsPerOp()).isPositive();
        assertThat(naive.gcCount()).isGreaterThanOrEqualTo(0);
        assertThat(naive.extras()).containsKey(ScenarioContext.CPU_NS);
        VariantResult none = s.variants().get(1);
        assertThat(none.bytesPerOp()).isZero();
        assertThat(s.savedVsNaive(none)).isEqualTo(1.0);
        VariantResult broken = s.variants().get(2);
        assertThat(broken.ok()).isFalse();
        assertThat(broken.error()).isEqualTo("IllegalStateException: broken on purpose");
        assertThat(tiny.broken.tornDown).as("tearDown runs after a failure").isTrue();
        assertThat(Double.isNaN(s.savedVsNaive(broken))).isTrue();

        ScenarioResult failed = report.scenarios().get(1);
        assertThat(failed.error()).isEqualTo("UnsupportedOperationException: not today");
        assertThat(failed.variants()).isEmpty();

        assertThat(progress).anyMatch(line -> line.startsWith("[1/2] tiny: byte[1000] per op: measuring"))
                .anyMatch(line -> line.startsWith("[2/2] throwing: FAILED"));
        assertThat(report.headlines()).singleElement().asString()
                .startsWith("A tiny scenario: no allocation vs byte[1000] per op: 100% fewer heap bytes allocated per op (0.0 vs ");
    }

    @Test
    void writesValidJsonAndSelfContainedHtml(@TempDir Path dir) throws Exception {
        Report report = ReportCommand.runScenarios(List.of(new Tiny(), new Throwing()), TINY, line -> { });
        Path abs = ReportCommand.write(report, dir.resolve("out"));

        String json = Files.readString(abs.resolve("report.json"), StandardCharsets.UTF_8);
        JsonNode root = ReportJson.MAPPER.readTree(json);
        assertThat(root.get("schema").textValue()).isEqualTo(ReportJson.SCHEMA);
        assertThat(root.get("mode").textValue()).isEqualTo("quick");
        JsonNode scenarios = root.get("scenarios");
        assertThat(scenarios).extracting(m -> m.get("id").textValue()).containsExactly("tiny", "throwing");
        JsonNode variants = scenarios.get(0).get("variants");
        assertThat(variants.get(0).get("role").textValue()).isEqualTo("naive");
        assertThat(variants.get(0).get("bytesPerUnit").doubleValue())
                .isEqualTo(report.scenarios().get(0).variants().get(0).bytesPerOp());
        assertThat(variants.get(1).get("savedVsNaive").doubleValue()).isEqualTo(1.0);
        assertThat(variants.get(2).get("bytesPerUnit").isNull()).isTrue();
        assertThat(variants.get(2).get("error").textValue()).isEqualTo("IllegalStateException: broken on purpose");
        assertThat(scenarios.get(1).get("error").textValue()).isEqualTo("UnsupportedOperationException: not today");
        assertThat(root.get("instruments").textValue()).startsWith("memkit instruments:");

        String html = Files.readString(abs.resolve("index.html"), StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("</html>")
                .doesNotContain("<script").doesNotContain("http://", "https://").as("no external resources")
                .contains("Arrays vs nothing &lt;b&gt;escaped&lt;/b&gt; &amp; &quot;quoted&quot;.")
                .contains("FAILED: IllegalStateException: broken on purpose")
                .contains("FAILED: UnsupportedOperationException: not today");
    }

    @Test
    void commandRejectsBadOptionsAndListsScenarios() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(ReportCommand.run(new String[] {"--bogus"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--bogus'").contains("Usage:");
        assertThat(ReportCommand.run(new String[] {"--scenario"}, o, e)).isEqualTo(2);
        assertThat(ReportCommand.run(new String[] {"--scenario", "nope"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no scenario 'nope'; scenarios: parse, ");
        assertThat(ReportCommand.run(new String[] {"--help"}, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--quick").contains("--scenario NAME").contains("--out DIR")
                .contains("direct-churn");
    }

    @Test
    void selectsScenariosByIdOrPrefixInCatalogueOrder() {
        List<Scenario> all = Scenarios.all();
        assertThat(ReportCommand.select(all, List.of("collections"))).extracting(Scenario::id)
                .containsExactly("collections-list", "collections-map", "collections-boxed");
        assertThat(ReportCommand.select(all, List.of("scratch", "parse"))).extracting(Scenario::id)
                .containsExactly("parse", "scratch");
        assertThat(ReportCommand.select(all, List.of())).hasSameSizeAs(all);
        assertThat(all).extracting(Scenario::id).doesNotHaveDuplicates();
    }
}
