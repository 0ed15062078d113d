package io.memkit.buffers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A test channel that takes at most {@code perCall} bytes per write and nothing at all on every
 * {@code emptyEvery}-th write, so callers must loop on partial and empty writes; it records what
 * it was given. Subclasses may override a write to act mid-transfer (for example release a lease).
 */
class TrickleChannel implements GatheringByteChannel {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final int perCall;
    private final int emptyEvery;
    private final boolean singleWrites;
    /** Writes so far, gathering or single. */
    int calls;
    int gatheringCalls;
    int maxBuffersInOneCall;

    /** A channel for gathering writes only: a single-buffer write fails the test. */
    TrickleChannel(int perCall) {
        this(perCall, 3, false);
    }

    /**
     * @param perCall      the most bytes one write takes
     * @param emptyEvery   every this many writes take nothing
     * @param singleWrites whether {@link #write(ByteBuffer)} is allowed
     */
    TrickleChannel(int perCall, int emptyEvery, boolean singleWrites) {
        this.perCall = perCall;
        this.emptyEvery = emptyEvery;
        this.singleWrites = singleWrites;
    }

    /** A channel that also takes single-buffer writes, as {@code Slice.writeTo} makes. */
    static TrickleChannel anyWrites(int perCall) {
        return new TrickleChannel(perCall, 4, true);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        gatheringCalls++;
        maxBuffersInOneCall = Math.max(maxBuffersInOneCall, length);
        return take(srcs, offset, length);
    }

    private long take(ByteBuffer[] srcs, int offset, int length) {
        if (++calls % emptyEvery == 0) {
            return 0;
        }
        long written = 0;
        for (int k = offset; k < offset + length && written < perCall; k++) {
            ByteBuffer b = srcs[k];
            while (b.hasRemaining() && written < perCall) {
                out.write(b.get());
                written++;
            }
        }
        return written;
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!singleWrites) {
            throw new AssertionError("writeTo must use gathering writes");
        }
        return (int) take(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
