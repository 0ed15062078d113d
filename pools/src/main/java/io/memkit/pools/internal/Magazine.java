package io.memkit.pools.internal;

/**
 * A stripe's cache of idle blocks of one size class: a bounded stack of {@code 2 * half} blocks.
 * When it is full, a release moves {@code half} blocks to the depot; when it is empty, an acquire
 * takes a full magazine of {@code half} blocks from the depot (Bonwick and Adams' magazine layer,
 * with a stack in place of the loaded and previous magazines). Guarded by its stripe's guard.
 */
final class Magazine {
    final Block[] blocks;
    final int half;
    int count;

    Magazine(int half) {
        this.half = half;
        this.blocks = new Block[2 * half];
    }
}
