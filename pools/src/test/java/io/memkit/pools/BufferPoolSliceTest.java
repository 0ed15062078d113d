package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.buffers.Slice;
import io.memkit.testing.SliceKeeper;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferPoolSliceTest {

    private final List<LeakReport> reports = new CopyOnWriteArrayList<>();
    private final BufferPool pool = BufferPool.builder().name("slices").leakDetection(LeakDetection.PARANOID)
            .leakListener(reports::add).build();

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void slicesViewTheLeasesMemoryWithoutCopying() {
        try (PooledBuffer b = pool.acquire(64)) {
            Slice whole = b.slice();
            assertThat(whole.length()).isEqualTo(64);
            whole.putInt(0, 0xCAFEBABE);
            assertThat(b.byteBuffer().getInt(0)).isEqualTo(0xCAFEBABE);
            b.byteBuffer().put(10, (byte) 42);
            Slice part = b.slice(8, 8);
            assertThat(part.length()).isEqualTo(8);
            assertThat(part.getByte(2)).isEqualTo((byte) 42);
            assertThat(b.slice(64, 0).length()).isZero();
            assertThat(part.isAccessible()).isTrue();
        }
    }

    @Test
    void aStaleSliceThrowsAfterTheBlockWasLeasedAgain() {
        // The Netty failure: release, re-acquire the same size on the same thread, read through the
        // stale view. Netty returns the new owner's bytes; memkit must throw.
        PooledBuffer first = pool.acquire(256);
        Slice stale = first.slice();
        Slice staleChild = stale.slice(16, 16);
        first.close();
        PooledBuffer second = pool.acquire(256);
        assertThat(pool.stats().hits()).as("the same block was leased again").isEqualTo(1);
        second.byteBuffer().putLong(0, 0x5EC2E75EC2E7L);
        second.byteBuffer().putLong(16, 0x5EC2E75EC2E7L);
        assertThat(stale.isAccessible()).isFalse();
        assertThatIllegalStateException().isThrownBy(() -> stale.getLong(0)).withMessageContaining("released");
        assertThatIllegalStateException().isThrownBy(() -> stale.getByte(0));
        assertThatIllegalStateException().isThrownBy(() -> staleChild.getLong(0));
        assertThatIllegalStateException().isThrownBy(() -> stale.putLong(0, 1));
        assertThatIllegalStateException().isThrownBy(stale::asByteBuffer);
        assertThatIllegalStateException().isThrownBy(stale::toByteArray);
        assertThat(second.byteBuffer().getLong(0)).as("the stale write did not land").isEqualTo(0x5EC2E75EC2E7L);
        assertThatIllegalStateException().isThrownBy(first::slice);
        assertThatIllegalStateException().isThrownBy(() -> first.slice(0, 1));
        assertThatIllegalStateException().isThrownBy(first::close);
        assertThat(second.refCount()).isEqualTo(1);
        assertThat(second.slice().getLong(0)).isEqualTo(0x5EC2E75EC2E7L);
        second.close();
    }

    @Test
    void slicesStayValidUntilTheLastOwnerCloses() {
        PooledBuffer b = pool.acquire(32).retain();
        Slice s = b.slice();
        b.close();
        s.putByte(0, (byte) 1);
        assertThat(s.getByte(0)).isEqualTo((byte) 1);
        b.close();
        assertThatIllegalStateException().isThrownBy(() -> s.getByte(0));
    }

    @Test
    void aSliceOfADroppedLeaseKeepsItFromBeingReportedAsLeaked() throws InterruptedException {
        Slice kept = SliceKeeper.sliceOfDroppedLease(pool, 100, false);
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(10);
            pool.stats();
        }
        assertThat(reports).isEmpty();
        kept.putByte(99, (byte) 9);
        assertThat(kept.getByte(99)).isEqualTo((byte) 9);
        assertThat(pool.stats().liveLeases()).isEqualTo(1);
        kept = null;
        awaitLeak();
        assertThat(reports.get(0).reclaimed()).isTrue();
    }

    @Test
    void aRawViewTakenThroughASliceQuarantinesALeak() throws InterruptedException {
        SliceKeeper.sliceOfDroppedLease(pool, 100, true);
        awaitLeak();
        assertThat(reports.get(0).reclaimed()).isFalse();
        assertThat(pool.stats().bytesQuarantined()).isEqualTo(112);
    }

    @Test
    void aSliceOfALeaseServedByALargerBlockStaysInsideTheLease() {
        try (PooledBuffer b = pool.acquire(20)) {
            Slice s = b.slice();
            assertThat(s.length()).isEqualTo(20);
            assertThatThrownBy(() -> s.getByte(20)).isInstanceOf(IndexOutOfBoundsException.class);
            ByteBuffer raw = s.asByteBuffer();
            assertThat(raw.capacity()).isEqualTo(20);
        }
    }

    private void awaitLeak() throws InterruptedException {
        for (int i = 0; i < 50 && reports.isEmpty(); i++) {
            System.gc();
            Thread.sleep(20);
            pool.stats();
        }
        assertThat(reports).as("no leak was reported after 50 GCs").isNotEmpty();
    }
}
