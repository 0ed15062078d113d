package io.memkit.bench.report.scenarios;

import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A gathering channel that takes every byte it is given without storing it, reading one byte
 * per buffer so that the buffers must really exist. It stands for a socket without a socket's cost,
 * so that the figures show what assembling the response costs. Allocates nothing.
 *
 * <p>Not thread-safe.
 */
final class DiscardChannel implements GatheringByteChannel {
    long bytes;
    long checksum;

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += write(srcs[i]);
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        if (n > 0) {
            checksum += src.get(src.position());
            src.position(src.limit());
        }
        bytes += n;
        return n;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
