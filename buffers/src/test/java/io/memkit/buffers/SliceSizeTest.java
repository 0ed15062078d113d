package io.memkit.buffers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.memkit.junit.AllocationBudget;
import io.memkit.meter.MemoryMeter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A view costs one small object: owner reference, offset and length. */
class SliceSizeTest {

    private static final int VIEWS = 1000;
    /** Escapes every view, so that the JIT cannot scalar-replace them. */
    static volatile Object sink;
    static final Object[] KEEP = new Object[VIEWS];

    @Test
    void aSliceIs24BytesWithCompressedReferences() {
        assumeTrue(MemoryMeter.isSupported(), "no per-thread allocation counter on this JVM");
        long expected = expectedSliceSize();
        Slice heap = Slice.wrap(new byte[4096]);
        Slice direct = Slice.wrap(ByteBuffer.allocateDirect(4096));
        for (Slice whole : new Slice[] {heap, direct, direct.asReadOnly()}) {
            Runnable one = () -> sink = whole.slice(8, 100);
            Runnable many = () -> {
                for (int i = 0; i < VIEWS; i++) {
                    KEEP[i] = whole.slice(i, 8);
                }
            };
            one.run(); // links call sites once (method handle linkage allocates the first time)
            many.run();
            // Early rounds run interpreted, later ones compiled. The minimum over rounds rejects
            // one-off JVM bytes on this thread (a deoptimization rematerializing objects, say).
            long oneMin = Long.MAX_VALUE;
            long manyMin = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                oneMin = Math.min(oneMin, MemoryMeter.measure(one).allocatedBytes());
                manyMin = Math.min(manyMin, MemoryMeter.measure(many).allocatedBytes());
            }
            assertThat(oneMin).as("one view of %s", whole).isEqualTo(expected);
            assertThat(manyMin).as("%d views of %s", VIEWS, whole).isEqualTo(VIEWS * expected);
        }
        if (compressedOops() && !compactHeaders()) {
            assertThat(expected).isEqualTo(24);
        }
    }

    private final Slice direct = Slice.wrap(ByteBuffer.allocateDirect(64)).slice(8, 32);
    private final Slice heap = Slice.wrap(new byte[64]).slice(8, 32);
    private long sum;

    @Test
    @AllocationBudget(bytes = 0, warmup = 1_000)
    void readingAllocatesNothing() {
        for (int i = 0; i < 1000; i++) {
            sum += direct.getInt(i & 15) + direct.getLongLE(8) + direct.getByte(3)
                    + heap.getInt(i & 15) + heap.getLongLE(8) + heap.getShort(2);
        }
    }

    @Test
    @AllocationBudget(bytes = 24, warmup = 10_000)
    void aViewCostsAtMostItsOwnObject() {
        // Equality to the layout-computed size is asserted above; the budget keeps the upper bound.
        sum += heap.slice(4, 8).length();
    }

    /** Header + a reference + two ints, aligned: computed from the running JVM's layout flags. */
    private static long expectedSliceSize() {
        int header = compactHeaders() ? 8 : compressedClassPointers() ? 12 : 16;
        int reference = compressedOops() ? 4 : 8;
        int align = Integer.parseInt(flag("ObjectAlignmentInBytes", "8"));
        int raw = header + reference + 4 + 4;
        return (raw + align - 1) / align * align;
    }

    private static boolean compressedOops() {
        return Boolean.parseBoolean(flag("UseCompressedOops", "true"));
    }

    private static boolean compressedClassPointers() {
        return Boolean.parseBoolean(flag("UseCompressedClassPointers", "true"));
    }

    private static boolean compactHeaders() {
        return Boolean.parseBoolean(flag("UseCompactObjectHeaders", "false"));
    }

    private static String flag(String name, String otherwise) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return otherwise;
        }
    }
}
