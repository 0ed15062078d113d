package io.memkit.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllocationSitesTest {

    /** Written by the allocating loops so the JIT cannot remove their arrays. */
    static volatile Object sink;

    private static final int ARRAY = 16_384;
    /** 10,000 arrays of 16 KiB: about 160 MB, some 50-400 samples (one per TLAB refill). */
    private static final int ARRAYS = 10_000;
    /** JFR samples on TLAB refills: a few rounds give the sampler enough to work with on a busy machine. */
    private static final int ATTEMPTS = 3;
    private static final int MIN_SAMPLES = 20;
    private static int knownLine;

    private static void allocateKnownArrays(int count) {
        knownLine = new Throwable().getStackTrace()[0].getLineNumber(); for (int i = 0; i < count; i++) { sink = new byte[ARRAY]; }
    }

    private static void allocateOtherArrays(int count) {
        for (int i = 0; i < count; i++) {
            sink = new long[ARRAY / 8];
        }
    }

    /** Records {@code work} until it got enough samples, a bounded number of times. */
    private static AllocationReport recordEnough(Runnable work) {
        AllocationReport report = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            report = AllocationSites.record(work);
            if (report.samples() >= MIN_SAMPLES) {
                return report;
            }
        }
        return report;
    }

    @Test
    void aKnownArrayIsReportedAtItsLineWithNearlyAllTheBytes() {
        assumeTrue(AllocationSites.isSupported(), "no JFR in this runtime");
        assumeTrue(MemoryMeter.isSupported(), "no per-thread allocation counter in this JVM");
        allocateKnownArrays(100); // loads and resolves everything the loop needs before the recording
        AllocationReport report = recordEnough(() -> allocateKnownArrays(ARRAYS));

        assertThat(report.samples()).as("samples in %s", report).isGreaterThanOrEqualTo(MIN_SAMPLES);
        AllocationSite top = report.sites().get(0);
        assertThat(top.objectType()).as("top site of %s", report).isEqualTo("[B");
        assertThat(top.className()).isEqualTo(AllocationSitesTest.class.getName());
        assertThat(top.methodName()).isEqualTo("allocateKnownArrays");
        assertThat(top.lineNumber()).isEqualTo(knownLine);
        assertThat(top.share()).as("share of the top site in %s", report).isGreaterThan(0.90);
        // The stack goes on to the caller: the lambda in this test.
        assertThat(top.stack()).hasSizeGreaterThan(1);
        assertThat(top.stack().get(1).className()).isEqualTo(AllocationSitesTest.class.getName());

        // Stated factor: the estimate is within a factor of 2 of the exact count (it is off by about
        // one TLAB, a few MB at most, of some 160 MB).
        long exact = report.measuredBytes();
        assertThat(exact).isGreaterThanOrEqualTo((long) ARRAYS * ARRAY);
        assertThat(report.estimatedBytes()).as("estimate vs exact %,d B in %s", exact, report)
                .isLessThanOrEqualTo(2 * exact)
                .isGreaterThanOrEqualTo(exact / 2);
    }

    @Test
    void depthOneGroupsByLineAndTwoReportsShowTheSiteThatGrew() {
        assumeTrue(AllocationSites.isSupported(), "no JFR in this runtime");
        allocateOtherArrays(100);
        allocateKnownArrays(100);
        AllocationReport before = recordEnough(() -> allocateOtherArrays(ARRAYS));
        AllocationReport after = recordEnough(() -> {
            allocateOtherArrays(ARRAYS / 10);
            allocateKnownArrays(ARRAYS);
        });
        assertThat(before.depth()).isEqualTo(AllocationSites.DEFAULT_DEPTH);

        List<AllocationReport.Growth> grown = AllocationReport.grown(before, after);
        assertThat(grown).as("grown between\n%s\nand\n%s", before, after).isNotEmpty();
        assertThat(grown.get(0).site().objectType()).isEqualTo("[B");
        assertThat(grown.get(0).site().lineNumber()).isEqualTo(knownLine);
        assertThat(grown.get(0).bytesBefore()).isZero();
        assertThat(grown).noneMatch(g -> g.site().objectType().equals("[J") && g.bytesDelta() > after.estimatedBytes() / 2);

        AllocationReport byLine = AllocationSites.record(() -> allocateKnownArrays(ARRAYS), 1);
        assertThat(byLine.depth()).isEqualTo(1);
        assertThat(byLine.sites()).allMatch(s -> s.stack().size() == 1);
        assertThat(byLine.format(3)).contains("allocateKnownArrays:" + knownLine);
    }

    @Test
    void exceptionsOfTheBlockPropagateAfterTheRecording() {
        assumeTrue(AllocationSites.isSupported(), "no JFR in this runtime");
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> AllocationSites.record(() -> { throw boom; })).isSameAs(boom);
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> AllocationSites.record(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("work");
        assertThatThrownBy(() -> AllocationSites.record(() -> { }, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> AllocationSites.record(() -> { }, 65)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65");
    }
}
