package io.memkit.buffers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CompositeSliceTest {

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Slice direct(byte[] bytes) {
        ByteBuffer d = ByteBuffer.allocateDirect(bytes.length + 3);
        d.position(3);
        d.put(bytes).position(3);
        return Slice.wrap(d);
    }

    private static byte[] concat(byte[]... arrays) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] a : arrays) {
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    /** Header on the heap, body direct, trailer read-only, plus an empty part. */
    private static final byte[] HEADER = random(37, 1);
    private static final byte[] BODY = random(100_000, 2);
    private static final byte[] TRAILER = random(9, 3);
    private static final byte[] ALL = concat(HEADER, BODY, TRAILER);

    private static CompositeSlice response() {
        return CompositeSlice.of(Slice.wrap(HEADER), Slice.empty(), direct(BODY), direct(TRAILER).asReadOnly());
    }

    @Test
    void lengthPartsAndBytesAreThoseOfTheConcatenation() {
        CompositeSlice c = response();
        assertThat(c.length()).isEqualTo(ALL.length);
        assertThat(c.parts()).hasSize(4);
        assertThatThrownBy(() -> c.parts().add(Slice.empty())).isInstanceOf(UnsupportedOperationException.class);
        for (int i = 0; i < ALL.length; i += 997) {
            assertThat(c.getByte(i)).isEqualTo(ALL[i]);
        }
        int[] edges = {0, 36, 37, 38, 37 + 99_999, 37 + 100_000, ALL.length - 1};
        for (int i : edges) {
            assertThat(c.getByte(i)).as("byte %d", i).isEqualTo(ALL[i]);
        }
        assertThatThrownBy(() -> c.getByte(ALL.length)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index " + ALL.length);
        assertThatThrownBy(() -> c.getByte(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(c.toByteArray()).isEqualTo(ALL);
        assertThat(c.toString()).contains("parts=4");
    }

    @Test
    void emptyPartsAnywhereDoNotHideBytes() {
        CompositeSlice c = CompositeSlice.of(Slice.empty(), Slice.wrap(new byte[] {1}), Slice.empty(),
                Slice.empty(), Slice.wrap(new byte[] {2, 3}), Slice.empty());
        assertThat(new byte[] {c.getByte(0), c.getByte(1), c.getByte(2)}).containsExactly(1, 2, 3);
        assertThat(CompositeSlice.of().length()).isZero();
        assertThat(CompositeSlice.of(List.of()).toByteArray()).isEmpty();
    }

    @Test
    void theArrayAndListAreCopied() {
        Slice[] parts = {Slice.wrap(new byte[] {1}), Slice.wrap(new byte[] {2})};
        CompositeSlice c = CompositeSlice.of(parts);
        parts[0] = Slice.wrap(new byte[] {9, 9});
        List<Slice> list = new ArrayList<>(List.of(parts));
        CompositeSlice d = CompositeSlice.of(list);
        list.clear();
        assertThat(c.toByteArray()).containsExactly(1, 2);
        assertThat(d.toByteArray()).containsExactly(9, 9, 2);
    }

    /** Up to three parts live in fields, more in an array: both keep the caller's array out. */
    @Test
    void compositesOfEverySizeReadTheirPartsInOrder() throws IOException {
        for (int n = 0; n <= 5; n++) {
            Slice[] parts = new Slice[n];
            byte[] expected = new byte[2 * n];
            for (int k = 0; k < n; k++) {
                parts[k] = Slice.wrap(new byte[] {(byte) k, (byte) (10 + k)});
                expected[2 * k] = (byte) k;
                expected[2 * k + 1] = (byte) (10 + k);
            }
            CompositeSlice c = CompositeSlice.of(parts);
            if (n > 0) {
                parts[n - 1] = Slice.wrap(new byte[] {99});
            }
            assertThat(c.parts()).hasSize(n);
            assertThat(c.length()).isEqualTo(2L * n);
            assertThat(c.toByteArray()).isEqualTo(expected);
            for (int i = 0; i < 2 * n; i++) {
                assertThat(c.getByte(i)).isEqualTo(expected[i]);
            }
            TrickleChannel channel = new TrickleChannel(1); // one byte per write: the partial-write path
            assertThat(c.writeTo(channel)).isEqualTo(2L * n);
            assertThat(channel.out.toByteArray()).isEqualTo(expected);
            assertThat(c.contentEquals(CompositeSlice.of(Slice.wrap(expected)))).isTrue();
            assertThat(c).hasToString("CompositeSlice[length=" + 2 * n + ", parts=" + n + "]");
            if (n > 0) {
                Slice[] withNull = new Slice[n];
                java.util.Arrays.fill(withNull, Slice.empty());
                withNull[n - 1] = null;
                assertThatThrownBy(() -> CompositeSlice.of(withNull)).isInstanceOf(NullPointerException.class)
                        .hasMessageContaining("part " + (n - 1) + " of " + n);
            }
        }
    }

    @Test
    void nullsAreRejectedNamingThePart() {
        assertThatThrownBy(() -> CompositeSlice.of((Slice[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> CompositeSlice.of((List<Slice>) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> CompositeSlice.of(Slice.empty(), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("part 1 of 2");
        assertThatThrownBy(() -> response().writeTo(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void contentEqualsIgnoresHowTheBytesAreSplit() {
        CompositeSlice c = response();
        Slice whole = Slice.wrap(ALL);
        assertThat(c.contentEquals(CompositeSlice.of(whole))).isTrue();
        assertThat(CompositeSlice.of(whole.slice(0, 5), whole.slice(5, 40_000), Slice.empty(),
                whole.slice(40_005, ALL.length - 40_005)).contentEquals(c)).isTrue();
        byte[] changed = ALL.clone();
        changed[50_000] ^= 1;
        assertThat(c.contentEquals(CompositeSlice.of(Slice.wrap(changed)))).isFalse();
        assertThat(c.contentEquals(CompositeSlice.of(whole.slice(0, ALL.length - 1)))).isFalse();
    }

    @Test
    void toByteArrayIsOneCountedCopy() {
        CompositeSlice c = response();
        SliceStats before = Slice.stats();
        c.toByteArray();
        SliceStats after = Slice.stats();
        assertThat(after.copies() - before.copies()).isEqualTo(1);
        assertThat(after.bytesCopied() - before.bytesCopied()).isEqualTo(ALL.length);
    }

    @Test
    void asByteBuffersAreViewsOfTheParts() {
        ByteBuffer[] views = response().asByteBuffers();
        assertThat(views).hasSize(4);
        assertThat(views[2].isDirect()).isTrue();
        assertThat(views[3].isReadOnly()).isTrue();
        assertThat(views[0].remaining()).isEqualTo(37);
        assertThat(views[1].remaining()).isZero();
        TestOwner owner = new TestOwner(ByteBuffer.allocateDirect(8), "lease");
        CompositeSlice.of(owner.slice()).asByteBuffers();
        assertThat(owner.escapes).isEqualTo(1);
    }

    @Test
    void writeToAFileChannelWritesEverything(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("response.bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            assertThat(response().writeTo(ch)).isEqualTo(ALL.length);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(ALL);
    }

    @Test
    @Timeout(60) // a pipe write blocks while the reader is stuck: the timeout interrupts it, which closes the pipe
    void writeToAPipeWritesEverythingWhileTheReaderDrainsIt() throws Exception {
        Pipe pipe = Pipe.open();
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer chunk = ByteBuffer.allocate(4096);
            try (Pipe.SourceChannel source = pipe.source()) {
                while (source.read(chunk.clear()) >= 0) {
                    out.write(chunk.array(), 0, chunk.position());
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            return out.toByteArray();
        });
        CompositeSlice c = response();
        try (Pipe.SinkChannel sink = pipe.sink()) {
            for (int i = 0; i < 3; i++) { // more than the pipe's buffer: the writes block part-way
                assertThat(c.writeTo(sink)).isEqualTo(ALL.length);
            }
        }
        assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(concat(ALL, ALL, ALL));
    }

    @Test
    void writeToLoopsOnPartialAndEmptyWritesWithGatheringCalls() throws IOException {
        TrickleChannel ch = new TrickleChannel(5);
        CompositeSlice c = CompositeSlice.of(Slice.wrap(HEADER), Slice.empty(), direct(Arrays.copyOf(BODY, 300)),
                direct(TRAILER).asReadOnly());
        assertThat(c.writeTo(ch)).isEqualTo(37 + 300 + 9);
        assertThat(ch.out.toByteArray()).isEqualTo(concat(HEADER, Arrays.copyOf(BODY, 300), TRAILER));
        assertThat(ch.gatheringCalls).isGreaterThanOrEqualTo((37 + 300 + 9) / 5);
        assertThat(ch.maxBuffersInOneCall).isGreaterThan(1); // really gathering, not one part at a time
    }

    @Test
    void writeToStopsWithTheLeaseNamedWhenAPartIsReleasedMidway() {
        TestOwner owner = new TestOwner(ByteBuffer.allocateDirect(64), "lease 7");
        CompositeSlice c = CompositeSlice.of(Slice.wrap(HEADER), owner.slice());
        TrickleChannel ch = new TrickleChannel(5) {
            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
                if (gatheringCalls == 3) {
                    owner.release();
                }
                return super.write(srcs, offset, length);
            }
        };
        assertThatThrownBy(() -> c.writeTo(ch)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lease 7");
        assertThatThrownBy(() -> c.getByte(40)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(c::toByteArray).isInstanceOf(IllegalStateException.class);
        assertThat(c.getByte(0)).isEqualTo(HEADER[0]);
    }

    /**
     * The channel's own write releases the lease and the memory's next owner writes a secret
     * before the channel reads the views: writeTo must throw, not report success.
     */
    @Test
    void writeToThrowsWhenAPartIsReleasedWhileTheChannelReadsIt() {
        ByteBuffer block = ByteBuffer.allocateDirect(4096);
        TestOwner lease = new TestOwner(block, "lease of 4096 bytes");
        byte[] header = new byte[4];
        CompositeSlice c = CompositeSlice.of(Slice.wrap(header), lease.slice());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GatheringByteChannel ch = new TrickleChannel(Integer.MAX_VALUE) {
            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) {
                lease.release();
                Slice next = new TestOwner(block, "next lease").slice();
                for (int i = 0; i < next.length(); i++) {
                    next.putByte(i, (byte) 0x5E);
                }
                long n = 0;
                for (int k = offset; k < offset + length; k++) {
                    while (srcs[k].hasRemaining()) {
                        out.write(srcs[k].get());
                        n++;
                    }
                }
                return n;
            }
        };
        assertThatThrownBy(() -> c.writeTo(ch)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lease of 4096 bytes");
    }

    @Test
    void contentEqualsThrowsForAReleasedPartEvenWhenTheLengthsDiffer() {
        TestOwner lease = new TestOwner(ByteBuffer.allocate(16), "lease 3");
        CompositeSlice c = CompositeSlice.of(Slice.wrap(HEADER), lease.slice());
        CompositeSlice shorter = CompositeSlice.of(Slice.wrap(HEADER));
        CompositeSlice differentFirst = CompositeSlice.of(Slice.wrap(new byte[37]), Slice.wrap(new byte[16]));
        lease.release();
        assertThatThrownBy(() -> c.contentEquals(shorter)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lease 3");
        assertThatThrownBy(() -> shorter.contentEquals(c)).isInstanceOf(IllegalStateException.class);
        // Equal lengths, different before the released part: still the exception, not false.
        assertThatThrownBy(() -> c.contentEquals(differentFirst)).isInstanceOf(IllegalStateException.class);
    }

    /** Beyond 2 GiB without 2 GiB of heap: many views of one 16 MiB array. */
    @Test
    void aCompositePast2GiBHasALongLengthAndLongIndices() throws IOException {
        byte[] block = new byte[1 << 24];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 7 + (i >>> 8));
        }
        int parts = 129; // 129 * 16 MiB = 2 GiB + 16 MiB
        List<Slice> list = new ArrayList<>();
        for (int k = 0; k < parts; k++) {
            list.add(k == 128 ? Slice.wrap(block).asReadOnly() : Slice.wrap(block));
        }
        CompositeSlice c = CompositeSlice.of(list);
        long expected = (long) parts << 24;
        assertThat(c.length()).isEqualTo(expected).isGreaterThan(Integer.MAX_VALUE);
        for (long index : new long[] {0, (1L << 31) - 1, 1L << 31, (1L << 31) + 12_345, expected - 1}) {
            assertThat(c.getByte(index)).as("byte %d", index).isEqualTo(block[(int) (index & ((1 << 24) - 1))]);
        }
        assertThatThrownBy(() -> c.getByte(expected)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining(Long.toString(expected));
        assertThatThrownBy(c::toByteArray).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Long.toString(expected));
        long[] counted = new long[1];
        GatheringByteChannel counting = new TrickleChannel(0) {
            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) {
                long n = 0;
                for (int k = offset; k < offset + length; k++) {
                    n += srcs[k].remaining();
                    srcs[k].position(srcs[k].limit());
                }
                counted[0] += n;
                return n;
            }
        };
        assertThat(c.writeTo(counting)).isEqualTo(expected);
        assertThat(counted[0]).isEqualTo(expected);
        assertThat(c.contentEquals(CompositeSlice.of(list))).isTrue();
    }

}
