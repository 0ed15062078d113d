package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SlabMemoryTest {

    @Test
    void theSourceMatchesTheRuntime() {
        if (Runtime.version().feature() >= 22) {
            assertThat(SlabMemory.SOURCE).isIn("mapped", "arena");
        } else {
            assertThat(SlabMemory.SOURCE).isEqualTo("direct");
        }
    }

    @Test
    void aRegionIsADirectBufferOfTheSizeAsked() {
        SlabMemory m = SlabMemory.allocate(10_000);
        ByteBuffer b = m.buffer();
        assertThat(b.isDirect()).isTrue();
        assertThat(b.capacity()).isEqualTo(10_000);
        assertThat(b.position()).isZero();
        b.putLong(9_992, 0x0123456789ABCDEFL);
        assertThat(b.getLong(9_992)).isEqualTo(0x0123456789ABCDEFL);
        assertThat(m.freesAtOnce()).isEqualTo(!SlabMemory.SOURCE.equals("direct"));
        m.free();
    }

    @Test
    void freeTwiceThrowsAndBadSizesAreRefused() {
        SlabMemory m = SlabMemory.allocate(64);
        m.free();
        assertThatThrownBy(m::free).isInstanceOf(IllegalStateException.class).hasMessageContaining("64 bytes");
        assertThat(SlabMemory.allocate(0).buffer().capacity()).isZero();
        assertThatThrownBy(() -> SlabMemory.allocate(-1)).hasMessageContaining("-1");
    }

    @Test
    void aViewOfFreedMemoryThrowsInsteadOfReading() {
        assumeTrue(Runtime.version().feature() >= 22, "freeing at once needs the FFM API (JDK 22+)");
        SlabMemory m = SlabMemory.allocate(4096);
        ByteBuffer view = m.buffer().duplicate();
        ByteBuffer slice = m.buffer().slice(100, 50);
        m.free();
        assertThatThrownBy(() -> view.get(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> slice.get(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> m.buffer().getLong(8)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void freeLowersResidentMemoryWithoutAGc() throws Exception {
        assumeTrue(SlabMemory.SOURCE.equals("mapped"), "resident memory falls at once with the mapped source only");
        assumeTrue(Files.exists(Path.of("/proc/self/status")), "reads resident memory from /proc (Linux)");
        int slabs = 64;
        int size = 1 << 20;
        // Three rounds: the C allocator's mmap threshold adapts after the first free, the mapped
        // source does not depend on it, so every round must give the memory back.
        for (int round = 0; round < 3; round++) {
            SlabMemory[] held = new SlabMemory[slabs];
            for (int i = 0; i < slabs; i++) {
                held[i] = SlabMemory.allocate(size);
                for (int at = 0; at < size; at += 4096) {
                    held[i].buffer().put(at, (byte) 1);
                }
            }
            long before = residentBytes();
            for (SlabMemory m : held) {
                m.free();
            }
            long after = residentBytes();
            assertThat(before - after).as("resident memory given back in round %d", round)
                    .isGreaterThan((long) slabs * size * 3 / 4);
        }
    }

    private static long residentBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }
}
