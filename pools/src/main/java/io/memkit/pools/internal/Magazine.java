package io.memkit.pools.internal;

import java.util.Arrays;

/**
 * A stripe's cache of idle blocks of one size class: a bounded stack of {@code 2 * half} blocks.
 * When it is full, a release moves {@code half} blocks to the depot; when it is empty, an acquire
 * takes a full magazine of {@code half} blocks from the depot (Bonwick and Adams' magazine layer,
 * with a stack in place of the loaded and previous magazines). Not thread-safe: used only under
 * its stripe's guard.
 *
 * <p>For idle decay it keeps low watermarks: the fewest blocks it held during the current and the
 * previous decay period. Pops and pushes happen only at the top, so the blocks below both marks
 * stayed untouched for two periods: {@link #takeCold} hands them to the arena.
 */
final class Magazine {
    private final Block[] blocks;
    private final int half;
    private int count;
    /** The fewest blocks held since the last decay step. */
    private int low;
    /** The same for the period before. */
    private int lowBefore;

    Magazine(int half) {
        this.half = half;
        this.blocks = new Block[2 * half];
    }

    /**
     * Takes the top block.
     *
     * @return the block, or null if empty
     */
    Block pop() {
        int n = count;
        if (n == 0) {
            return null;
        }
        // The popped place keeps its reference (blocks live as long as the pool): one store less.
        count = n - 1;
        if (n - 1 < low) {
            low = n - 1;
        }
        return blocks[n - 1];
    }

    /**
     * Whether {@link #push} would fail.
     *
     * @return {@code true} if full
     */
    boolean isFull() {
        return count == blocks.length;
    }

    /**
     * Whether it holds no block.
     *
     * @return {@code true} if empty
     */
    boolean isEmpty() {
        return count == 0;
    }

    /**
     * Adds a block.
     *
     * @param b the block
     * @return {@code false} if full (nothing changed)
     */
    boolean push(Block b) {
        int n = count;
        if (n == blocks.length) {
            return false;
        }
        blocks[n] = b;
        count = n + 1;
        return true;
    }

    /**
     * Moves the top {@code half} blocks into {@code out}, which has exactly {@code half} places.
     * Only when full.
     *
     * @param out an empty magazine array from the depot
     */
    void spillHalfInto(Block[] out) {
        int n = count;
        System.arraycopy(blocks, n - half, out, 0, half);
        Arrays.fill(blocks, n - half, n, null);
        count = n - half;
        low = Math.min(low, count);
        lowBefore = Math.min(lowBefore, count);
    }

    /**
     * Loads a full depot magazine. Only when empty.
     *
     * @param full an array of exactly {@code half} blocks; emptied by this call
     */
    void loadFrom(Block[] full) {
        System.arraycopy(full, 0, blocks, 0, full.length);
        Arrays.fill(full, null);
        count = full.length;
    }

    /**
     * Moves every block into {@code into} and empties the magazine.
     *
     * @param into where the blocks go
     */
    void drainTo(java.util.List<Block> into) {
        for (int i = 0; i < count; i++) {
            into.add(blocks[i]);
        }
        Arrays.fill(blocks, null);
        count = 0;
        low = 0;
        lowBefore = 0;
    }

    /**
     * Decay step: moves the blocks that stayed below both low watermarks (untouched for the last
     * two periods) into {@code into}, and starts a new period.
     *
     * @param into where the cold blocks go
     */
    void takeCold(java.util.List<Block> into) {
        int cold = Math.min(low, lowBefore);
        for (int i = 0; i < cold; i++) {
            into.add(blocks[i]);
        }
        int n = count;
        if (cold > 0) {
            System.arraycopy(blocks, cold, blocks, 0, n - cold);
            Arrays.fill(blocks, n - cold, n, null);
        }
        count = n - cold;
        lowBefore = low - cold;
        low = count;
    }
}
