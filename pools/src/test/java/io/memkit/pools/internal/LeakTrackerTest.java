package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.memkit.pools.LeakDetection;
import io.memkit.testing.LeakyCaller;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LeakTrackerTest {

    private final List<LeakTracker.Tracked> reported = new CopyOnWriteArrayList<>();

    @Test
    void samplingFollowsTheLevel() {
        LeakTracker off = new LeakTracker("p", LeakDetection.OFF, reported::add);
        LeakTracker paranoid = new LeakTracker("p", LeakDetection.PARANOID, reported::add);
        LeakTracker sampled = new LeakTracker("p", LeakDetection.SAMPLED, reported::add);
        int offHits = 0;
        int paranoidHits = 0;
        int sampledHits = 0;
        for (int i = 0; i < 128 * 10; i++) {
            offHits += off.sample() ? 1 : 0;
            paranoidHits += paranoid.sample() ? 1 : 0;
            sampledHits += sampled.sample() ? 1 : 0;
        }
        assertThat(offHits).isZero();
        assertThat(paranoidHits).isEqualTo(1280);
        assertThat(sampledHits).isEqualTo(10);
    }

    @Test
    void aCollectedUnclosedHandleIsReportedWithItsStateAndStack() throws InterruptedException {
        LeakTracker tracker = new LeakTracker("BufferPool 't'", LeakDetection.PARANOID, reported::add);
        String state = "block 3";
        LeakyCaller.trackAndDrop(tracker, state);
        assertThat(tracker.outstanding()).hasSize(1);
        for (int i = 0; i < 50 && reported.isEmpty(); i++) {
            System.gc();
            Thread.sleep(20);
            tracker.expunge();
        }
        assertThat(reported).as("the dropped handle was not reported after 50 GCs").hasSize(1);
        LeakTracker.Tracked leak = reported.get(0);
        assertThat(leak.state()).isSameAs(state);
        assertThat(leak.size()).isEqualTo(4096);
        assertThat(leak.threadName()).isEqualTo(Thread.currentThread().getName());
        // memkit's own frames are dropped: the report starts at the code that acquired.
        assertThat(leak.acquiredAt()[0].getClassName()).isEqualTo(LeakyCaller.class.getName());
        assertThat(leak.acquiredAt()[0].getMethodName()).isEqualTo("trackAndDrop");
        assertThat(tracker.leaks()).isEqualTo(1);
        assertThat(tracker.outstanding()).isEmpty();
    }

    @Test
    void aClosedHandleIsNeverReported() throws InterruptedException {
        LeakTracker tracker = new LeakTracker("p", LeakDetection.PARANOID, reported::add);
        Object handle = new Object();
        LeakTracker.Tracked t = tracker.track(handle, "s", 1);
        tracker.untrack(t);
        tracker.untrack(t);
        handle = null;
        for (int i = 0; i < 5; i++) {
            System.gc();
            tracker.expunge();
        }
        assertThat(reported).isEmpty();
        assertThat(tracker.leaks()).isZero();
        assertThat(tracker.outstanding()).isEmpty();
    }

    @Test
    void rejectsNulls() {
        assertThatNullPointerException().isThrownBy(() -> new LeakTracker(null, LeakDetection.OFF, reported::add))
                .withMessageContaining("owner");
        assertThatNullPointerException().isThrownBy(() -> new LeakTracker("p", null, reported::add))
                .withMessageContaining("level");
        assertThatNullPointerException().isThrownBy(() -> new LeakTracker("p", LeakDetection.OFF, null))
                .withMessageContaining("handler");
    }
}
