package io.memkit.pools.internal;

/**
 * What leak detection watches for a tracked lease: an object reachable only through the lease
 * handle (and the Slices of the lease, through their owner). The handle itself is never given to
 * the tracker, so the JIT can still scalar-replace untracked handles: the tracked and untracked
 * paths build their handle at the same allocation site.
 */
final class LeakAnchor {
    /** The tracker's record; the anchor is its phantom referent. Set right after tracking starts. */
    LeakTracker.Tracked tracked;
    final Record record;

    LeakAnchor(Record record) {
        this.record = record;
    }

    /** The pool's state for a tracked lease; must not reference the anchor or the handle. */
    static final class Record {
        final Block block;
        final long stamp;
        final int capacity;
        /** Set once a raw {@code ByteBuffer} view left the lease: its memory may never be reused. */
        volatile boolean rawEscaped;

        Record(Block block, long stamp, int capacity) {
            this.block = block;
            this.stamp = stamp;
            this.capacity = capacity;
        }
    }
}
