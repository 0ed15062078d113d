package io.memkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.memkit.pools.BufferPool;
import io.memkit.pools.BufferPoolStats;
import io.memkit.pools.LeakDetection;
import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * 10,000 virtual threads allocating through the allocator: with no thread-local caches, the
 * memory the pool holds stays within its cap however many threads there are, and every buffer's
 * bytes stay its own.
 */
class VirtualThreadsTest {

    @Test
    void tenThousandVirtualThreadsStayWithinThePoolsCap() throws Throwable {
        ExecutorService vts;
        try {
            vts = (ExecutorService) MethodHandles.publicLookup().findStatic(java.util.concurrent.Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class)).invoke();
        } catch (NoSuchMethodException e) {
            Assumptions.abort("virtual threads need JDK 21+; this is " + Runtime.version());
            return;
        }
        long maxBytes = 48L << 20;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (BufferPool pool = BufferPool.builder().name("netty-virtual").maxBytes(maxBytes)
                .leakDetection(LeakDetection.OFF).build()) {
            MemkitByteBufAllocator alloc = new MemkitByteBufAllocator(pool);
            try {
                for (int t = 0; t < 10_000; t++) {
                    int id = t;
                    vts.execute(() -> {
                        try {
                            for (int round = 0; round < 4; round++) {
                                ByteBuf b = alloc.directBuffer(1024 << (id & 3));
                                b.writeInt(id).writeZero(100).writeInt(round);
                                Thread.yield(); // let other virtual threads allocate while this one holds its buffer
                                if (b.readInt() != id || b.getInt(104) != round) {
                                    failure.compareAndSet(null, new AssertionError("buffer of thread " + id + " overwritten"));
                                }
                                b.release();
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
            } finally {
                vts.shutdown();
                assertThat(vts.awaitTermination(60, TimeUnit.SECONDS)).as("virtual threads finished").isTrue();
            }
            assertThat(failure.get()).isNull();
            BufferPoolStats s = pool.stats();
            assertThat(s.acquires()).isEqualTo(40_000);
            assertThat(s.peakBytesReserved()).as("peak reserved").isLessThanOrEqualTo(maxBytes);
            assertThat(s.liveLeases()).isZero();
            assertThat(s.exhausted()).isZero();
            assertThat(alloc.metric().usedDirectMemory()).isZero();
        }
    }
}
