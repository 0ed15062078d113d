package io.memkit.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MemoryMeterTest {

    /** Written by measured blocks so the JIT cannot remove their allocations. */
    static volatile Object sink;

    @Test
    void emptyBlockAllocatesNothing() {
        assumeTrue(MemoryMeter.isSupported());
        for (int i = 0; i < 100; i++) {
            assertThat(MemoryMeter.measure(() -> { }).allocatedBytes()).as("round %d", i).isZero();
        }
    }

    @Test
    void byteArrayIsMeasuredToTheByte() {
        assumeTrue(MemoryMeter.isSupported());
        long expected = expectedByteArraySize(1000);
        for (int i = 0; i < 20; i++) {
            Measurement m = MemoryMeter.measure(() -> sink = new byte[1000]);
            assertThat(m.allocatedBytes()).as("round %d", i).isEqualTo(expected);
        }
    }

    @Test
    void allocationsOfOtherThreadsAreNotCounted() {
        assumeTrue(MemoryMeter.isSupported(), "needs the JVM's per-thread allocation counter");
        byte[][] kept = new byte[1][];
        Measurement m = MemoryMeter.measure(() -> {
            Thread other = new Thread(() -> kept[0] = new byte[16 << 20]);
            other.start();
            try {
                other.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (other.isAlive()) {
                throw new AssertionError("the allocating thread did not finish within 60 s");
            }
        });
        assertThat(kept[0]).hasSize(16 << 20);
        // The measuring thread made a Thread object and little else; the 16 MiB are the other's.
        assertThat(m.allocatedBytes()).isBetween(1L, 1L << 20);
    }

    @Test
    void measureResultKeepsTheValueAndMeasuresIt() {
        assumeTrue(MemoryMeter.isSupported());
        Measured<long[]> m = MemoryMeter.measureResult(() -> new long[10]);
        assertThat(m.value()).hasSize(10);
        assertThat(m.measurement().allocatedBytes()).isEqualTo(align(arrayBase() + 80));
        assertThat(m.measurement().elapsedNanos()).isPositive();
    }

    @Test
    void directMemoryDeltaSeesAllocateDirect() {
        Measurement m = MemoryMeter.measure(() -> sink = ByteBuffer.allocateDirect(1 << 20));
        assertThat(m.directBytesDelta()).isGreaterThanOrEqualTo(1 << 20);
        sink = null;
    }

    @Test
    void exceptionsPropagateUnchanged() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> MemoryMeter.measure(() -> { throw boom; })).isSameAs(boom);
    }

    @Test
    void nullWorkIsRejected() {
        assertThatThrownBy(() -> MemoryMeter.measure(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("work");
        assertThatThrownBy(() -> MemoryMeter.measureResult(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("work");
    }

    @Test
    void measuringOnAVirtualThreadFailsClearlyInsteadOfReportingMinusOne() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+; this is JDK "
                + Runtime.version().feature());
        assumeTrue(MemoryMeter.isSupported());
        // Built reflectively: the tests compile for Java 17, which has no virtual threads.
        ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        try {
            AtomicBoolean ran = new AtomicBoolean();
            Future<Throwable> failure = virtual.submit(() -> {
                try {
                    MemoryMeter.measure(() -> ran.set(true));
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            assertThat(failure.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("virtual").hasMessageContaining("platform thread");
            assertThat(ran).as("the block must not run when it cannot be measured").isFalse();
            Future<Throwable> resultFailure = virtual.submit(() -> {
                try {
                    MemoryMeter.measureResult(() -> "x");
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            assertThat(resultFailure.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
            Future<Long> raw = virtual.submit(MemoryMeter::threadAllocatedBytes);
            assertThat(raw.get(30, TimeUnit.SECONDS)).isEqualTo(-1L);
        } finally {
            virtual.shutdownNow();
        }
        // The same block on a platform thread is measured.
        assertThat(MemoryMeter.measure(() -> sink = new byte[100]).allocatedBytes()).isPositive();
    }

    /** Computed from the running JVM's layout flags, not hard-coded for one JVM. */
    static long expectedByteArraySize(int length) {
        return align(arrayBase() + length);
    }

    static long arrayBase() {
        if (flag("UseCompactObjectHeaders", false)) {
            return 12; // 8-byte header holding the class pointer, then the 4-byte length
        }
        return flag("UseCompressedClassPointers", true) ? 16 : 20;
    }

    static long align(long size) {
        long alignment = Long.parseLong(option("ObjectAlignmentInBytes", "8"));
        return (size + alignment - 1) / alignment * alignment;
    }

    private static boolean flag(String name, boolean absent) {
        return Boolean.parseBoolean(option(name, Boolean.toString(absent)));
    }

    private static String option(String name, String absent) {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        try {
            return hotspot.getVMOption(name).getValue();
        } catch (IllegalArgumentException noSuchOption) {
            return absent;
        }
    }
}
