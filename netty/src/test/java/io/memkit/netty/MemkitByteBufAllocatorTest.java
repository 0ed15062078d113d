package io.memkit.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.pools.BufferPool;
import io.memkit.pools.BufferPoolStats;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.PoolExhaustedException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ResourceLeakDetector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The allocator's rules: capacities, growth, metrics, exhaustion, and what Netty code expects of its buffers. */
class MemkitByteBufAllocatorTest {

    private final BufferPool pool = BufferPool.builder().name("alloc-test").maxBytes(8 << 20)
            .leakDetection(LeakDetection.PARANOID).build();
    private final MemkitByteBufAllocator alloc = new MemkitByteBufAllocator(pool);

    @AfterEach
    void balanced() {
        BufferPoolStats s = pool.stats();
        assertThat(s.liveLeases()).as("live leases").isZero();
        assertThat(s.bytesInUse()).as("bytes in use").isZero();
        assertThat(s.acquires()).isEqualTo(s.releases());
        assertThat(alloc.metric().usedDirectMemory()).isZero();
        assertThat(alloc.metric().usedHeapMemory()).isZero();
        pool.close();
    }

    @Test
    void capacityAndMaxCapacityAreExactlyWhatWasAskedFor() {
        ByteBuf b = alloc.directBuffer(1000, 5000);
        assertThat(b.capacity()).isEqualTo(1000);
        assertThat(b.maxCapacity()).isEqualTo(5000);
        assertThat(b.isDirect()).isTrue();
        assertThat(b.alloc()).isSameAs(alloc);
        assertThat(b.release()).isTrue();
    }

    @Test
    void defaultCapacitiesFollowNettysAllocatorRules() {
        ByteBuf d = alloc.buffer();
        ByteBuf h = alloc.heapBuffer(10);
        ByteBuf io = alloc.ioBuffer(33);
        assertThat(d.isDirect()).isTrue();
        assertThat(d.capacity()).isEqualTo(256);
        assertThat(d.maxCapacity()).isEqualTo(Integer.MAX_VALUE);
        assertThat(h.isDirect()).isFalse();
        assertThat(h.capacity()).isEqualTo(10);
        assertThat(io.isDirect()).isTrue();
        assertThat(io.capacity()).isEqualTo(33);
        assertThatThrownBy(() -> alloc.directBuffer(10, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10").hasMessageContaining("5");
        assertThatThrownBy(() -> alloc.directBuffer(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(alloc.directBuffer(0, 0)).isSameAs(alloc.directBuffer(0, 0)); // Netty's empty buffer
        d.release();
        h.release();
        io.release();
    }

    @Test
    void heapPreferringAllocatorStillPoolsIoBuffers() {
        MemkitByteBufAllocator heapFirst = new MemkitByteBufAllocator(pool, false);
        ByteBuf b = heapFirst.buffer(64);
        ByteBuf io = heapFirst.ioBuffer(64);
        assertThat(b.isDirect()).isFalse();
        assertThat(io.isDirect()).isTrue();
        assertThat(heapFirst.metric().usedHeapMemory()).isEqualTo(64);
        assertThat(heapFirst.metric().usedDirectMemory()).isEqualTo(64);
        b.release();
        io.release();
        assertThat(heapFirst.metric().usedHeapMemory()).isZero();
        assertThat(heapFirst.metric().usedDirectMemory()).isZero();
    }

    @Test
    void calculateNewCapacityMatchesNettysRule() {
        UnpooledByteBufAllocator netty = UnpooledByteBufAllocator.DEFAULT;
        int[] asks = {0, 1, 63, 64, 65, 1000, 4 << 20, (4 << 20) + 1, 100 << 20};
        for (int ask : asks) {
            assertThat(alloc.calculateNewCapacity(ask, Integer.MAX_VALUE))
                    .as("min %d", ask).isEqualTo(netty.calculateNewCapacity(ask, Integer.MAX_VALUE));
        }
        assertThat(alloc.calculateNewCapacity(100, 120)).isEqualTo(120);
        assertThatThrownBy(() -> alloc.calculateNewCapacity(200, 100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metricsCountLiveBuffersAndReturnToZeroOnRelease() {
        assertThat(alloc.metric()).isSameAs(alloc.metric());
        ByteBuf a = alloc.directBuffer(100);
        ByteBuf b = alloc.directBuffer(4096);
        ByteBuf h = alloc.heapBuffer(300);
        assertThat(alloc.metric().usedDirectMemory()).isEqualTo(4196);
        assertThat(alloc.metric().usedHeapMemory()).isEqualTo(300);
        assertThat(pool.stats().liveLeases()).isEqualTo(2);
        a.retain();
        a.release();
        assertThat(alloc.metric().usedDirectMemory()).isEqualTo(4196);
        a.release();
        assertThat(alloc.metric().usedDirectMemory()).isEqualTo(4096);
        b.writeZero(5000); // growth: a larger lease, the old one returned
        assertThat(b.capacity()).isGreaterThanOrEqualTo(5000);
        assertThat(alloc.metric().usedDirectMemory()).isEqualTo(b.capacity());
        assertThat(pool.stats().liveLeases()).isEqualTo(1);
        h.writeZero(400);
        assertThat(alloc.metric().usedHeapMemory()).isEqualTo(h.capacity());
        b.release();
        h.release();
        assertThat(alloc.isDirectBufferPooled()).isTrue();
    }

    @Test
    void growthCopiesTheBytesAndHonoursMaxCapacity() {
        ByteBuf b = alloc.directBuffer(8, 100);
        b.writeLong(0x0102030405060708L);
        b.capacity(90);
        assertThat(b.capacity()).isEqualTo(90);
        assertThat(b.getLong(0)).isEqualTo(0x0102030405060708L);
        b.capacity(4); // shrinking keeps the lease and trims the indices
        assertThat(b.writerIndex()).isEqualTo(4);
        assertThat(b.getInt(0)).isEqualTo(0x01020304);
        assertThatThrownBy(() -> b.capacity(101)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("101");
        assertThatThrownBy(() -> b.writeZero(200)).isInstanceOf(IndexOutOfBoundsException.class);
        b.release();
        assertThatThrownBy(() -> b.capacity(10)).isInstanceOf(IllegalReferenceCountException.class);
    }

    @Test
    void exhaustionThrowsThePoolsExceptionAndLeavesNothingCounted() {
        try (BufferPool small = BufferPool.builder().name("tiny").maxBytes(64 * 1024).build()) {
            MemkitByteBufAllocator a = new MemkitByteBufAllocator(small);
            ByteBuf held = a.directBuffer(60 * 1024);
            assertThatThrownBy(() -> a.directBuffer(16 * 1024)).isInstanceOf(PoolExhaustedException.class)
                    .hasMessageContaining("tiny");
            assertThatThrownBy(() -> held.ensureWritable(62 * 1024)).isInstanceOf(PoolExhaustedException.class);
            assertThat(held.capacity()).isEqualTo(60 * 1024); // failed growth leaves the buffer as it was
            assertThat(a.metric().usedDirectMemory()).isEqualTo(60 * 1024);
            held.release();
            assertThat(a.metric().usedDirectMemory()).isZero();
            assertThat(small.stats().liveLeases()).isZero();
        }
    }

    @Test
    void defaultUsesTheSharedPool() {
        assertThat(MemkitByteBufAllocator.DEFAULT.pool()).isSameAs(BufferPool.shared());
        assertThat(alloc.pool()).isSameAs(pool);
        assertThatThrownBy(() -> new MemkitByteBufAllocator(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void nioViewsAddressAndByteOrderBehaveAsNettysDirectBuffers() {
        ByteBuf b = alloc.directBuffer(64);
        ByteBuf ref = UnpooledByteBufAllocator.DEFAULT.directBuffer(64);
        assertThat(b.hasMemoryAddress()).isEqualTo(ref.hasMemoryAddress());
        if (b.hasMemoryAddress()) {
            assertThat(b.memoryAddress()).isNotZero().isEqualTo(b.memoryAddress());
            assertThat(b.slice(8, 8).memoryAddress()).isEqualTo(b.memoryAddress() + 8);
            ByteBuf overView = Unpooled.wrappedBuffer(b.nioBuffer(0, 64));
            if (overView.hasMemoryAddress()) { // Netty finds the address of our NIO view itself
                assertThat(overView.memoryAddress()).isEqualTo(b.memoryAddress());
            }
        }
        b.writeIntLE(0x11223344).writeLong(7);
        assertThat(b.order(ByteOrder.LITTLE_ENDIAN).getInt(0)).isEqualTo(0x11223344);
        assertThat(b.getByte(0)).isEqualTo((byte) 0x44);
        ByteBuffer nio = b.nioBuffer();
        assertThat(nio.isDirect()).isTrue();
        assertThat(nio.remaining()).isEqualTo(12);
        assertThat(nio.getLong(4)).isEqualTo(7);
        assertThat(b.nioBufferCount()).isEqualTo(1);
        assertThat(b.nioBuffers(4, 8)[0].getLong(0)).isEqualTo(7);
        ByteBuffer internal = b.internalNioBuffer(4, 8);
        assertThat(internal.position()).isEqualTo(4);
        assertThat(internal.remaining()).isEqualTo(8);
        assertThat(b.hasArray()).isFalse();
        assertThat(b.isContiguous()).isTrue();
        b.release();
        ref.release();
    }

    @Test
    void compositeAndByteBufUtilWorkOverMemkitBuffers() {
        CompositeByteBuf c = alloc.compositeDirectBuffer();
        c.addComponent(true, alloc.directBuffer(8).writeBytes("hello, ".getBytes(StandardCharsets.US_ASCII)));
        c.addComponent(true, alloc.directBuffer(8).writeBytes("world".getBytes(StandardCharsets.US_ASCII)));
        assertThat(c.toString(StandardCharsets.US_ASCII)).isEqualTo("hello, world");
        assertThat(ByteBufUtil.hexDump(c, 0, 5)).isEqualTo("68656c6c6f");
        assertThat(ByteBufUtil.equals(c, Unpooled.copiedBuffer("hello, world", StandardCharsets.US_ASCII))).isTrue();
        ByteBuf s = alloc.directBuffer(32);
        ByteBufUtil.writeUtf8(s, "grüße");
        assertThat(s.toString(StandardCharsets.UTF_8)).isEqualTo("grüße");
        assertThat(ByteBufUtil.indexOf(Unpooled.wrappedBuffer(new byte[] {(byte) 0xc3}), s)).isEqualTo(2);
        byte[] copied = ByteBufUtil.getBytes(s);
        assertThat(new String(copied, StandardCharsets.UTF_8)).isEqualTo("grüße");
        ByteBuf copy = s.copy();
        assertThat(copy.alloc()).isSameAs(alloc);
        assertThat(ByteBufUtil.equals(copy, s)).isTrue();
        c.release();
        s.release();
        copy.release();
    }

    @Test
    void nettysLeakDetectorWrapsBuffersAndReleasesThroughToThePool() {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            ByteBuf b = alloc.directBuffer(128);
            assertThat(b.getClass().getSimpleName()).isEqualTo("AdvancedLeakAwareByteBuf");
            assertThat(b.unwrap()).isInstanceOf(LeasedDirectByteBuf.class);
            ByteBuf slice = b.retainedSlice(0, 16);
            assertThat(slice.getClass().getSimpleName()).contains("LeakAware");
            slice.release();
            b.release();
            assertThat(pool.stats().liveLeases()).isZero();
            assertThatThrownBy(b::release).isInstanceOf(IllegalReferenceCountException.class);
        } finally {
            ResourceLeakDetector.setLevel(before);
        }
    }
}
