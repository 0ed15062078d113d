package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SizeClassesTest {

    /** The documented bound, checked exactly: block <= max(256, c * 9 / 8), i.e. 8 * block <= 9 * c. */
    private static boolean withinBound(int capacity, int block) {
        return block <= 256 || 8L * block <= 9L * capacity;
    }

    @Test
    void everyCapacityUpToOneMebibyteGetsABlockWithinTheWasteBound() {
        int previousClass = 0;
        for (int c = 0; c <= 1 << 20; c++) {
            int cls = SizeClasses.classOf(c);
            int block = SizeClasses.blockSize(cls);
            if (block < c || !withinBound(c, block) || cls < previousClass || block % 16 != 0) {
                throw new AssertionError("capacity " + c + ": class " + cls + ", block " + block
                        + ", previous class " + previousClass);
            }
            // the class is the smallest that fits: the class below is too small
            if (cls > 0 && SizeClasses.blockSize(cls - 1) >= c) {
                throw new AssertionError("capacity " + c + " fits class " + (cls - 1) + " but got " + cls);
            }
            previousClass = cls;
        }
        assertThat(SizeClasses.classOf(1 << 20)).isEqualTo(16 + 12 * 8 - 1);
    }

    @Test
    void smallRequestsWasteAtMost15Bytes() {
        assertThat(SizeClasses.blockSize(SizeClasses.classOf(0))).isEqualTo(16);
        assertThat(SizeClasses.blockSize(SizeClasses.classOf(1))).isEqualTo(16);
        assertThat(SizeClasses.blockSize(SizeClasses.classOf(17))).isEqualTo(32);
        assertThat(SizeClasses.blockSize(SizeClasses.classOf(256))).isEqualTo(256);
        assertThat(SizeClasses.blockSize(SizeClasses.classOf(257))).isEqualTo(288);
        assertThat(SizeClasses.blockSize(SizeClasses.classOf(4096))).isEqualTo(4096);
        assertThat(SizeClasses.blockSize(SizeClasses.classOf(4097))).isEqualTo(4608);
        assertThat(SizeClasses.blockSize(SizeClasses.classOf(SizeClasses.MAX_CAPACITY)))
                .isEqualTo(SizeClasses.MAX_CAPACITY);
    }

    @Property(tries = 2000)
    void boundHoldsUpToOneGibibyte(@ForAll @IntRange(min = 0, max = SizeClasses.MAX_CAPACITY) int capacity) {
        int cls = SizeClasses.classOf(capacity);
        int block = SizeClasses.blockSize(cls);
        assertThat(block).isGreaterThanOrEqualTo(capacity);
        assertThat(withinBound(capacity, block)).as("capacity %d block %d", capacity, block).isTrue();
        assertThat(SizeClasses.classOf(block)).isEqualTo(cls);
    }

    @Property(tries = 300)
    void slabsAndMagazinesAreBounded(@ForAll @IntRange(min = 0, max = SizeClasses.MAX_CAPACITY) int capacity) {
        int block = SizeClasses.blockSize(SizeClasses.classOf(capacity));
        int blocks = SizeClasses.blocksPerSlab(block);
        assertThat(blocks).isBetween(1, SizeClasses.MAX_BLOCKS_PER_SLAB);
        assertThat((long) blocks * block).isLessThanOrEqualTo(Math.max(block, SizeClasses.SLAB_TARGET));
        assertThat(SizeClasses.magazineHalf(block)).isBetween(1, SizeClasses.MAX_MAGAZINE);
    }
}
