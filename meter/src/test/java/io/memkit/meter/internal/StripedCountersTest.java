package io.memkit.meter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StripedCountersTest {

    @Test
    void countersAreIndependentAndExactOnOneThread() {
        StripedCounters c = new StripedCounters(3);
        for (int i = 0; i < 1000; i++) {
            c.add(0, 1);
            c.addRelaxed(1, 2);
        }
        c.add(2, -5);
        assertThat(c.sum(0)).isEqualTo(1000);
        assertThat(c.sum(1)).isEqualTo(2000);
        assertThat(c.sum(2)).isEqualTo(-5);
    }

    @Test
    void atomicAddIsExactUnderContention() throws InterruptedException {
        StripedCounters c = new StripedCounters(1);
        int threads = 3 * Stripes.COUNT; // more threads than stripes: stripes are shared
        int adds = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < adds; i++) {
                    c.add(0, 1);
                }
            });
            th.start();
            all.add(th);
        }
        start.countDown();
        for (Thread th : all) {
            th.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(th.isAlive()).as("adder thread finished within 60 s").isFalse();
        }
        assertThat(c.sum(0)).isEqualTo((long) threads * adds);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new StripedCounters(0)).hasMessageContaining("0");
        StripedCounters c = new StripedCounters(2);
        assertThatThrownBy(() -> c.add(16, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new StripedCounters(17)).hasMessageContaining("17");
        assertThatThrownBy(() -> c.sum(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void stripeCountIsAPowerOfTwoAroundTwicePerProcessor() {
        assertThat(Stripes.count(1)).isEqualTo(2);
        assertThat(Stripes.count(2)).isEqualTo(4);
        assertThat(Stripes.count(3)).isEqualTo(8);
        assertThat(Stripes.count(1000)).isEqualTo(64);
        assertThat(Stripes.current()).isBetween(0, Stripes.COUNT - 1);
        assertThatThrownBy(() -> Stripes.count(0)).hasMessageContaining("0");
    }
}
