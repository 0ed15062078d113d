package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.Variant;
import io.memkit.bench.report.VariantScenario;
import io.memkit.pools.BufferPool;
import io.memkit.pools.PooledBuffer;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * File read through a {@link FileChannel} in 16 KiB chunks, each chunk read into a fresh direct
 * buffer: allocated per chunk, leased from a pool, or reused by hand. The file is written once
 * and read from the page cache, so the figures show the buffers' cost, not the disk's.
 */
public final class FileReadScenario extends VariantScenario {
    /** Bytes per read. */
    public static final int CHUNK = 16 * 1024;

    private Path file;

    @Override
    public String id() {
        return "file-read";
    }

    @Override
    public String title() {
        return "File read in 16 KiB chunks";
    }

    @Override
    public String description() {
        return "Read a file through a FileChannel in 16 KiB chunks, each into a direct buffer: ByteBuffer.allocateDirect per "
                + "chunk (freed only when a GC runs its Cleaner) vs a lease from memkit's BufferPool vs Netty's pooled and "
                + "adaptive allocators vs one buffer reused by hand. One op is one chunk. 'direct' is the direct memory still reserved after the last batch: for "
                + "allocateDirect, garbage waiting for a collection (a GC runs between batches, outside the measurement).";
    }

    @Override
    public String unit() {
        return "16 KiB chunk";
    }

    @Override
    protected List<Variant> variants(ScenarioContext context) throws IOException {
        int chunks = context.settings().quick() ? 256 : 2048;
        file = Files.createTempFile("memkit-report-", ".bin");
        file.toFile().deleteOnExit();
        byte[] block = new byte[CHUNK];
        SplittableRandom random = new SplittableRandom(7);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int i = 0; i < chunks; i++) {
                random.nextBytes(block);
                ByteBuffer src = ByteBuffer.wrap(block);
                while (src.hasRemaining()) {
                    out.write(src);
                }
            }
        }
        List<Variant> variants = new ArrayList<>();
        variants.add(new AllocateDirect(file, chunks));
        variants.add(new PooledRead(file, chunks));
        variants.add(new NettyRead(file, chunks, "Netty PooledByteBufAllocator", true));
        variants.add(new NettyRead(file, chunks, "Netty AdaptiveByteBufAllocator", false));
        variants.add(new ReusedBuffer(file, chunks));
        return variants;
    }

    @Override
    protected String notes(List<io.memkit.bench.report.VariantResult> results) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temp file left behind is deleted on exit
        }
        return "";
    }

    /** Reads chunk {@code index} fully into {@code dst} (position 0, limit CHUNK). */
    static int readChunk(FileChannel channel, ByteBuffer dst, int index) throws IOException {
        long position = (long) index * CHUNK;
        int total = 0;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, position + total);
            if (n < 0) {
                throw new IOException("file ended at " + (position + total) + " reading chunk " + index);
            }
            total += n;
        }
        return total;
    }

    /** Common part: the open channel and the next chunk to read. */
    abstract static class ChunkReader extends Variant {
        private final Path file;
        final int chunks;
        FileChannel channel;
        int next;

        ChunkReader(String name, Role role, Path file, int chunks) {
            super(name, role);
            this.file = file;
            this.chunks = chunks;
        }

        @Override
        public void setUp() throws Exception {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        }

        int nextChunk() {
            int i = next;
            next = i + 1 == chunks ? 0 : i + 1;
            return i;
        }

        @Override
        public void tearDown() throws Exception {
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** Naive: a new direct buffer per chunk, dropped after use. */
    static final class AllocateDirect extends ChunkReader {
        AllocateDirect(Path file, int chunks) {
            super("allocateDirect per chunk", Role.NAIVE, file, chunks);
        }

        @Override
        public long batch(int ops) throws IOException {
            long sum = 0;
            for (int op = 0; op < ops; op++) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
                sum += readChunk(channel, buffer, nextChunk()) + buffer.get(0);
            }
            return sum;
        }

        /** At most 64 MiB of garbage direct buffers per batch before the collection between batches. */
        @Override
        public int maxOpsPerBatch() {
            return 4096;
        }

        @Override
        public void betweenBatches() {
            System.gc();
        }
    }

    /** memkit: a lease from a BufferPool (default settings), closed after the read. */
    static final class PooledRead extends ChunkReader {
        private BufferPool pool;

        PooledRead(Path file, int chunks) {
            super("memkit BufferPool", Role.MEMKIT, file, chunks);
        }

        @Override
        public void setUp() throws Exception {
            super.setUp();
            pool = BufferPool.builder().name("report-file-read").build();
        }

        @Override
        public long batch(int ops) throws IOException {
            long sum = 0;
            for (int op = 0; op < ops; op++) {
                try (PooledBuffer lease = pool.acquire(CHUNK)) {
                    ByteBuffer buffer = lease.byteBuffer();
                    sum += readChunk(channel, buffer, nextChunk()) + buffer.get(0);
                }
            }
            return sum;
        }

        @Override
        public long directBytesHeld() {
            return pool.stats().bytesReserved();
        }

        @Override
        public void tearDown() throws Exception {
            super.tearDown();
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** Netty 4.2 pooled or adaptive allocator: directBuffer, writeBytes from the channel, release. */
    static final class NettyRead extends ChunkReader {
        private final boolean pooled;
        private io.netty.buffer.ByteBufAllocator allocator;

        NettyRead(Path file, int chunks, String name, boolean pooled) {
            super(name, Role.PEER, file, chunks);
            this.pooled = pooled;
        }

        @Override
        public void setUp() throws Exception {
            super.setUp();
            allocator = pooled ? new PooledByteBufAllocator(true) : new AdaptiveByteBufAllocator(true);
        }

        @Override
        public long batch(int ops) throws IOException {
            long sum = 0;
            for (int op = 0; op < ops; op++) {
                ByteBuf buffer = allocator.directBuffer(CHUNK, CHUNK);
                try {
                    long position = (long) nextChunk() * CHUNK;
                    while (buffer.isWritable()) {
                        int n = buffer.writeBytes(channel, position + buffer.writerIndex(), buffer.writableBytes());
                        if (n < 0) {
                            throw new IOException("file ended at " + (position + buffer.writerIndex()));
                        }
                    }
                    sum += buffer.readableBytes() + buffer.getByte(0);
                } finally {
                    buffer.release();
                }
            }
            return sum;
        }

        @Override
        public long directBytesHeld() {
            return ((ByteBufAllocatorMetricProvider) allocator).metric().usedDirectMemory();
        }
    }

    /** Reference: one direct buffer, cleared and reused for every chunk (what a pool approximates). */
    static final class ReusedBuffer extends ChunkReader {
        private ByteBuffer buffer;

        ReusedBuffer(Path file, int chunks) {
            super("one direct buffer reused by hand", Role.REFERENCE, file, chunks);
        }

        @Override
        public void setUp() throws Exception {
            super.setUp();
            buffer = ByteBuffer.allocateDirect(CHUNK);
        }

        @Override
        public long batch(int ops) throws IOException {
            long sum = 0;
            for (int op = 0; op < ops; op++) {
                buffer.clear();
                sum += readChunk(channel, buffer, nextChunk()) + buffer.get(0);
            }
            return sum;
        }
    }
}
