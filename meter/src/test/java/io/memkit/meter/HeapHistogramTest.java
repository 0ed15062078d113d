package io.memkit.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeapHistogramTest {

    /** A class only this test makes, so its counts are exact. */
    static final class Leaked {
        final int id;

        Leaked(int id) {
            this.id = id;
        }
    }

    /** Another, for the growth test. */
    static final class Kept {
        final long value;

        Kept(long value) {
            this.value = value;
        }
    }

    /** The leak: a growing list in a static field. */
    private static final List<Object> LEAK = new ArrayList<>();
    private static volatile Object sink;

    @AfterEach
    void dropTheLeak() {
        LEAK.clear();
        sink = null;
    }

    @Test
    void aPlantedLeakOfTenThousandObjectsIsCountedExactly() {
        HeapHistogram before = HeapHistogram.take();
        for (int i = 0; i < 10_000; i++) {
            LEAK.add(new Leaked(i));
        }
        HeapHistogram after = HeapHistogram.take();

        HeapHistogram.Diff diff = HeapHistogram.diff(before, after);
        assertThat(diff.instancesDelta(Leaked.class)).as("diff:%n%s", diff.format(10)).isEqualTo(10_000);
        assertThat(after.instances(Leaked.class)).isEqualTo(10_000);
        assertThat(diff.grown()).anyMatch(c -> c.className().equals(Leaked.class.getName())
                && c.instancesBefore() == 0 && c.instancesAfter() == 10_000 && c.bytesDelta() > 0);
        assertThat(after.bytes(Leaked.class.getName())).isEqualTo(after.entries().stream()
                .filter(e -> e.className().equals(Leaked.class.getName())).findFirst().orElseThrow().bytes());
        assertThat(diff.format(50)).contains(Leaked.class.getName());
    }

    @Test
    void garbageIsNotCounted() {
        HeapHistogram before = HeapHistogram.take();
        for (int i = 0; i < 10_000; i++) {
            sink = new Leaked(i);
        }
        sink = null;
        HeapHistogram after = HeapHistogram.take();
        assertThat(HeapHistogram.diff(before, after).instancesDelta(Leaked.class)).isZero();
    }

    @Test
    void heapGrowthFindsTheLeakingClassAndOnlyIt() {
        int times = 1_000;
        HeapGrowth growth = HeapGrowth.measure(times, () -> {
            LEAK.add(new Kept(LEAK.size()));
            sink = new Leaked(1); // garbage: must not be reported
        });
        assertThat(growth.times()).isEqualTo(times);
        assertThat(growth.growing()).as("%s", growth).anySatisfy(g -> {
            assertThat(g.className()).isEqualTo(Kept.class.getName());
            assertThat(g.firstRound()).isEqualTo(times);
            assertThat(g.secondRound()).isEqualTo(2L * times);
            assertThat(g.instancesPerRun()).isEqualTo(1.0);
            assertThat(g.bytesPerRun()).isPositive();
        });
        assertThat(growth.growing()).noneMatch(g -> g.className().equals(Leaked.class.getName()));
        assertThat(growth.diff().instancesDelta(Kept.class)).isEqualTo(3L * times);
        assertThat(growth.format(20)).contains(Kept.class.getName());
    }

    @Test
    void aBlockWithoutALeakReportsNoTestClass() {
        HeapGrowth growth = HeapGrowth.measure(1_000, () -> {
            sink = new Kept(1);
            sink = new Leaked(2);
            sink = new ArrayList<>(List.of(sink));
        });
        assertThat(growth.growing()).as("%s", growth)
                .noneMatch(g -> g.className().startsWith(HeapHistogramTest.class.getName()));
    }

    @Test
    void theJvmTextIsReadWithModulesAndMergedNames() {
        HeapHistogram h = HeapHistogram.parse(String.join("\n",
                " num     #instances         #bytes  class name (module)",
                "-------------------------------------------------------",
                "   1:          9670         446784  [B (java.base@17.0.15)",
                "   2:            10            160  com.example.Foo",
                "   3:             5             80  com.example.Foo",
                "Total          9685         447024"));
        assertThat(h.instances("[B")).isEqualTo(9670);
        assertThat(h.entries().get(0).module()).isEqualTo("java.base@17.0.15");
        assertThat(h.instances("com.example.Foo")).isEqualTo(15);
        assertThat(h.bytes("com.example.Foo")).isEqualTo(240);
        assertThat(h.totalInstances()).isEqualTo(9685);
        assertThat(h.totalBytes()).isEqualTo(447024);
        assertThat(h.instances("absent")).isZero();
        assertThatThrownBy(() -> HeapHistogram.parse("   1:  x y z")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1:  x y z");
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> HeapHistogram.diff(null, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("before");
        assertThatThrownBy(() -> HeapGrowth.measure(0, () -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> HeapGrowth.measure(1, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("block");
    }
}
