package io.memkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.memkit.pools.BufferPool;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.LeakReport;
import io.netty.buffer.ByteBuf;
import io.netty.util.ResourceLeakDetector;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * memkit's own leak detection under the allocator: buffers hold their lease without its handle, so
 * these check that a live buffer is never reported, a leaked one always is, and its memory is
 * reused only if no raw view of it ever left the buffer.
 */
class LeakDetectionTest {

    /** Collections to wait for a report; each is a full GC, so this is generous. */
    private static final int MAX_GCS = 50;

    private final List<LeakReport> leaks = new CopyOnWriteArrayList<>();
    private final BufferPool pool = BufferPool.builder().name("leak-test").maxBytes(8 << 20)
            .leakDetection(LeakDetection.PARANOID).leakListener(leaks::add).build();
    private final MemkitByteBufAllocator alloc = new MemkitByteBufAllocator(pool);
    private ResourceLeakDetector.Level nettyLevel;

    @BeforeEach
    void nettysDetectorOff() {
        // Netty's detector would report the same leaks on its own; these tests are about memkit's.
        nettyLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }

    @AfterEach
    void restore() {
        ResourceLeakDetector.setLevel(nettyLevel);
        pool.close();
    }

    @Test
    void liveBuffersAreNeverReportedThoughTheirLeaseHandlesAreCollected() {
        ByteBuf live = alloc.directBuffer(512);
        live.writeLong(42);
        ByteBuf grown = alloc.directBuffer(64, 4096);
        grown.writeZero(64);
        grown.writeLong(7); // grows into a second lease, which must be tracked as the first was
        leakOne(false);

        awaitLeaks(1);
        for (int gc = 0; gc < 3; gc++) {
            System.gc();
            pool.stats();
        }

        assertThat(leaks).as("only the dropped buffer is reported").hasSize(1);
        assertThat(leaks.get(0).capacity()).isEqualTo(128);
        assertThat(live.getLong(0)).isEqualTo(42);
        assertThat(grown.getLong(64)).isEqualTo(7);
        assertThat(live.release()).isTrue();
        assertThat(grown.release()).isTrue();
        assertThat(pool.stats().liveLeases()).isZero();
        assertThat(pool.stats().leaksDetected()).isEqualTo(1);
    }

    @Test
    void aLeakedBufferWithNoRawViewOutIsReportedAndItsMemoryReused() {
        leakOne(false);

        awaitLeaks(1);

        assertThat(leaks.get(0).reclaimed()).as("reclaimed").isTrue();
        assertThat(pool.stats().bytesQuarantined()).isZero();
        assertThat(pool.stats().liveLeases()).isZero();
    }

    @Test
    void aLeakedBufferWhoseNioBufferLeftIsQuarantined() {
        leakOne(true);

        awaitLeaks(1);

        assertThat(leaks.get(0).reclaimed()).as("reclaimed").isFalse();
        assertThat(pool.stats().bytesQuarantined()).isPositive();
        assertThat(pool.stats().liveLeases()).isZero();
    }

    /** Allocates a 128-byte buffer (and, if asked, takes an NIO view of it) and drops it unreleased. */
    private void leakOne(boolean takeNioView) {
        ByteBuf b = alloc.directBuffer(128);
        b.writeInt(1);
        if (takeNioView) {
            ByteBuffer view = b.nioBuffer(0, 4);
            assertThat(view.getInt(0)).isEqualTo(1);
        }
    }

    private void awaitLeaks(int n) {
        for (int gc = 0; gc < MAX_GCS && leaks.size() < n; gc++) {
            System.gc();
            pool.stats(); // expunges collected leases
        }
        assertThat(leaks).as("leak reports after " + MAX_GCS + " collections").hasSize(n);
    }
}
