package io.memkit.pools;

/**
 * What the model-based tests of {@link BufferPool} (the jqwik model test and the fuzz target)
 * expect of one live lease: the block it holds, the seed its bytes were written with, and the
 * owners the test took. One model for both, so they cannot drift apart.
 */
final class LeaseModel {
    final PooledBuffer lease;
    /** The bytes the lease holds in the pool: its size class's block, or its dedicated memory. */
    final long block;
    final byte seed;
    int refs = 1;

    LeaseModel(PooledBuffer lease, long block, byte seed) {
        this.lease = lease;
        this.block = block;
        this.seed = seed;
    }

    /**
     * The bytes a lease of {@code capacity} holds: its size class's block (16-byte steps to 256,
     * then 8 per doubling), or dedicated memory of exactly the request above {@code maxPooled} or
     * where the class's block exceeds {@code maxBytes}.
     *
     * @param capacity  the request
     * @param maxPooled the pool's maxPooledCapacity
     * @param maxBytes  the pool's cap
     * @return the bytes
     */
    static long blockOf(int capacity, int maxPooled, long maxBytes) {
        int c = Math.max(capacity, 1);
        long pooled;
        if (c <= 256) {
            pooled = (c + 15) / 16 * 16;
        } else {
            int k = 31 - Integer.numberOfLeadingZeros(c - 1);
            long step = 1L << (k - 3);
            pooled = (c + step - 1) / step * step;
        }
        return capacity <= maxPooled && pooled <= maxBytes ? pooled : capacity;
    }
}
