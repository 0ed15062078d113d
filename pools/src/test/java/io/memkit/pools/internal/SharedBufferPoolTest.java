package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.memkit.meter.Instruments;
import io.memkit.pools.BufferPool;
import io.memkit.pools.LeakDetection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedBufferPoolTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(SharedBufferPool.MAX_BYTES);
        System.clearProperty(SharedBufferPool.MAX_POOLED_CAPACITY);
        System.clearProperty(SharedBufferPool.LEAK_DETECTION);
        System.clearProperty(SharedBufferPool.IDLE_TIMEOUT);
    }

    @Test
    void idleTimeoutsParseInEveryDocumentedForm() {
        assertThat(SharedBufferPool.parseDuration("p", "500ms")).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(SharedBufferPool.parseDuration("p", " 30s ")).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(SharedBufferPool.parseDuration("p", "2M")).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(SharedBufferPool.parseDuration("p", "pt1m30s")).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(SharedBufferPool.parseDuration("p", "0")).isEqualTo(java.time.Duration.ZERO);
        for (String bad : new String[] {"", "30", "soon", "-5s", "-PT1S", "5h"}) {
            assertThatIllegalArgumentException().isThrownBy(() -> SharedBufferPool.parseDuration("io.t", bad))
                    .withMessageContaining("io.t").withMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void theIdleTimeoutPropertyReachesTheBuilder() {
        System.setProperty(SharedBufferPool.IDLE_TIMEOUT, "0");
        DirectBufferPool off = (DirectBufferPool) SharedBufferPool.configure(new BufferPoolBuilder().maxBytes(1 << 20)).build();
        System.setProperty(SharedBufferPool.IDLE_TIMEOUT, "250ms");
        DirectBufferPool on = (DirectBufferPool) SharedBufferPool.configure(new BufferPoolBuilder().maxBytes(1 << 20)).build();
        try {
            assertThat(off.decay()).isNull();
            assertThat(on.decay()).isNotNull();
        } finally {
            off.close();
            on.close();
        }
    }

    @Test
    void parsesByteCountsWithBinarySuffixes() {
        assertThat(SharedBufferPool.parseBytes("p", "65536", 0, Long.MAX_VALUE)).isEqualTo(65536);
        assertThat(SharedBufferPool.parseBytes("p", " 64k ", 0, Long.MAX_VALUE)).isEqualTo(65536);
        assertThat(SharedBufferPool.parseBytes("p", "512M", 0, Long.MAX_VALUE)).isEqualTo(512L << 20);
        assertThat(SharedBufferPool.parseBytes("p", "2g", 0, Long.MAX_VALUE)).isEqualTo(2L << 30);
        assertThat(SharedBufferPool.parseBytes("p", "1g", 0, 1 << 30)).isEqualTo(1 << 30);
    }

    @Test
    void rejectsBadByteCountsNamingThePropertyAndValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> SharedBufferPool.parseBytes("io.x", "lots", 0, 100))
                .withMessageContaining("io.x").withMessageContaining("'lots'");
        assertThatIllegalArgumentException().isThrownBy(() -> SharedBufferPool.parseBytes("io.x", "", 0, 100))
                .withMessageContaining("io.x");
        assertThatIllegalArgumentException().isThrownBy(() -> SharedBufferPool.parseBytes("io.x", "-1", 0, 100))
                .withMessageContaining("'-1'");
        assertThatIllegalArgumentException().isThrownBy(() -> SharedBufferPool.parseBytes("io.x", "2g", 0, 1 << 30))
                .withMessageContaining("'2g'");
        assertThatIllegalArgumentException().isThrownBy(() -> SharedBufferPool.parseBytes("io.x", "9999999999g", 0,
                Long.MAX_VALUE)).withMessageContaining("9999999999g");
    }

    @Test
    void configuresABuilderFromTheProperties() {
        System.setProperty(SharedBufferPool.MAX_BYTES, "1m");
        System.setProperty(SharedBufferPool.MAX_POOLED_CAPACITY, "64k");
        System.setProperty(SharedBufferPool.LEAK_DETECTION, "paranoid");
        DirectBufferPool p = (DirectBufferPool) SharedBufferPool.configure(new BufferPoolBuilder()).build();
        try {
            assertThat(p.maxBytes()).isEqualTo(1 << 20);
            // 64k is the largest pooled request: one byte more gets dedicated memory.
            p.acquire(64 * 1024).close();
            p.acquire(64 * 1024 + 1).close();
            assertThat(p.stats().unpooled()).isEqualTo(1);
            // paranoid: every live lease is tracked.
            try (io.memkit.pools.PooledBuffer a = p.acquire(10); io.memkit.pools.PooledBuffer b = p.acquire(20)) {
                assertThat(p.outstanding()).hasSize(2);
            }
        } finally {
            p.close();
        }
    }

    @Test
    void rejectsAnUnknownLeakLevel() {
        System.setProperty(SharedBufferPool.LEAK_DETECTION, "sometimes");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SharedBufferPool.configure(new BufferPoolBuilder()))
                .withMessageContaining(SharedBufferPool.LEAK_DETECTION).withMessageContaining("'sometimes'");
    }

    @Test
    void aZeroMaxBytesIsRejectedNamingTheProperty() {
        for (String zero : new String[] {"0", "0k", " 0m "}) {
            System.setProperty(SharedBufferPool.MAX_BYTES, zero);
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> SharedBufferPool.configure(new BufferPoolBuilder()))
                    .withMessageContaining("system property " + SharedBufferPool.MAX_BYTES)
                    .withMessageContaining("'" + zero + "'");
        }
    }

    @Test
    void theSharedPoolIsOneRegisteredPoolThatCloseOnlyTrims() {
        BufferPool shared = BufferPool.shared();
        assertThat(BufferPool.shared()).isSameAs(shared);
        assertThat(shared.name()).isEqualTo("shared");
        assertThat(Instruments.all()).contains(shared);
        shared.acquire(100).close();
        shared.close();
        assertThat(shared.stats().bytesReserved()).isZero();
        shared.acquire(100).close();
        assertThat(Instruments.all()).contains(shared);
    }
}
