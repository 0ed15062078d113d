package io.memkit.bench.jmh;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The parse workload of {@link SliceBenchmark}: 1,000 length-prefixed records,
 * {@code [int length (big-endian)][length bytes]}, with lengths drawn from 8..512 by a fixed seed,
 * so every run and every contender parses the same bytes.
 */
final class SliceRecords {

    /** Records per buffer. */
    static final int RECORDS = 1_000;
    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 512;
    static final long SEED = 0x5EED_2026L;

    private SliceRecords() {
    }

    /**
     * The records, filled with pseudo-random bytes.
     *
     * @param direct whether to return a direct buffer
     * @return a big-endian buffer at position 0 with limit = the records' total size
     */
    static ByteBuffer build(boolean direct) {
        SplittableRandom random = new SplittableRandom(SEED);
        int[] lengths = new int[RECORDS];
        int total = 0;
        for (int i = 0; i < RECORDS; i++) {
            lengths[i] = random.nextInt(MIN_LENGTH, MAX_LENGTH + 1);
            total += 4 + lengths[i];
        }
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(total) : ByteBuffer.allocate(total);
        for (int length : lengths) {
            b.putInt(length);
            for (int k = 0; k < length; k++) {
                b.put((byte) random.nextInt());
            }
        }
        return b.flip();
    }
}
