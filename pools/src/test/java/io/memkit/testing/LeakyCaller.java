package io.memkit.testing;

import io.memkit.pools.internal.LeakTracker;

/** Tracks a handle from outside memkit's pool packages and drops it, as leaking user code does. */
public final class LeakyCaller {
    private LeakyCaller() {
    }

    /**
     * Tracks a fresh handle and drops it.
     *
     * @param tracker the tracker
     * @param state   the pool state to track with it
     */
    public static void trackAndDrop(LeakTracker tracker, Object state) {
        tracker.track(new Object(), state, 4096);
    }
}
