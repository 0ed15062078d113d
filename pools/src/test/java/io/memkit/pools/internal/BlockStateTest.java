package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The state machine of a {@link Block}: generation stamp and owner count, driven directly. */
class BlockStateTest {

    private static Block block() {
        return new Block(null, new Slab(SlabMemory.allocate(64), 0, 64, 1), 0);
    }

    @Test
    void aLeaseEndsAtItsLastCloseAndMovesToTheNextGeneration() {
        Block b = block();
        long stamp = b.lease();
        assertThat(b.isLive(stamp)).isTrue();
        assertThat(b.refCount(stamp)).isOne();
        assertThat(b.retain(stamp)).isEqualTo(Block.DONE);
        assertThat(b.refCount(stamp)).isEqualTo(2);
        assertThat(b.close(stamp)).isEqualTo(Block.DONE);
        assertThat(b.close(stamp)).isEqualTo(Block.LAST_OWNER);
        assertThat(b.isLive(stamp)).isFalse();
        assertThat(b.refCount(stamp)).isZero();
        long next = b.lease();
        assertThat(next).isEqualTo(stamp + 1);
        assertThat(b.isLive(next)).isTrue();
    }

    @Test
    void aStaleStampChangesNothing() {
        Block b = block();
        long stale = b.lease();
        assertThat(b.close(stale)).isEqualTo(Block.LAST_OWNER);
        long live = b.lease();
        assertThat(b.close(stale)).isEqualTo(Block.ENDED);
        assertThat(b.retain(stale)).isEqualTo(Block.ENDED);
        assertThat(b.forceEnd(stale)).isFalse();
        assertThat(b.refCount(live)).isOne();
        assertThat(b.isLive(live)).isTrue();
    }

    @Test
    void forceEndEndsALeaseWhateverItsOwnersExactlyOnce() {
        Block b = block();
        long stamp = b.lease();
        b.retain(stamp);
        assertThat(b.forceEnd(stamp)).isTrue();
        assertThat(b.forceEnd(stamp)).isFalse();
        assertThat(b.close(stamp)).isEqualTo(Block.ENDED);
    }

    @Test
    void retainStopsAtTheOwnerLimit() {
        Block b = block();
        long stamp = b.lease();
        b.state = (stamp << Block.REF_BITS) | Block.REF_MASK; // as after REF_MASK - 1 retains
        assertThat(b.retain(stamp)).isEqualTo(Block.AT_OWNER_LIMIT);
        assertThat(b.refCount(stamp)).isEqualTo((int) Block.REF_MASK);
        assertThat(b.close(stamp)).isEqualTo(Block.DONE);
        assertThat(b.retain(stamp)).isEqualTo(Block.DONE);
    }
}
