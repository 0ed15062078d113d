package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.memkit.testing.Waits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReleaseSignalTest {

    @Test
    void zeroTimeoutTriesExactlyOnce() throws InterruptedException {
        ReleaseSignal signal = new ReleaseSignal();
        AtomicInteger tries = new AtomicInteger();
        assertThat(signal.<Object>retryUntil(() -> {
            tries.incrementAndGet();
            return null;
        }, 0)).isNull();
        assertThat(tries).hasValue(1);
        assertThat(signal.waiting()).isZero();
    }

    @Test
    void returnsTheFirstSuccessfulAttempt() throws InterruptedException {
        assertThat(new ReleaseSignal().retryUntil(() -> "x", TimeUnit.SECONDS.toNanos(10))).isEqualTo("x");
    }

    @Test
    void timesOutWhenNothingIsReleased() throws InterruptedException {
        ReleaseSignal signal = new ReleaseSignal();
        long t0 = System.nanoTime();
        assertThat(signal.<Object>retryUntil(() -> null, TimeUnit.MILLISECONDS.toNanos(50))).isNull();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aWaiterRetriesWhenSignalled() throws Exception {
        ReleaseSignal signal = new ReleaseSignal();
        AtomicInteger available = new AtomicInteger();
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return signal.retryUntil(() -> available.get() > 0 ? available.get() : null,
                        TimeUnit.SECONDS.toNanos(30));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        Waits.until("a thread waits", () -> signal.waiting() > 0);
        available.set(7);
        signal.signal();
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(signal.waiting()).isZero();
    }

    @Test
    void hugeTimeoutsSaturate() {
        assertThat(ReleaseSignal.nanos(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(ReleaseSignal.nanos(Duration.ofMillis(3))).isEqualTo(3_000_000L);
    }
}
