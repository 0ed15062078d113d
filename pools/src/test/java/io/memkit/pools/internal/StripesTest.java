package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StripesTest {

    @Test
    void countIsAPowerOfTwoAtLeastTwicePerProcessorCappedAt64() {
        assertThat(Stripes.count(1)).isEqualTo(2);
        assertThat(Stripes.count(2)).isEqualTo(4);
        assertThat(Stripes.count(3)).isEqualTo(8);
        assertThat(Stripes.count(12)).isEqualTo(32);
        assertThat(Stripes.count(500)).isEqualTo(64);
        assertThat(Integer.bitCount(Stripes.COUNT)).isEqualTo(1);
    }

    @Test
    void consecutiveThreadIdsSpreadOverEveryStripe() {
        boolean[] seen = new boolean[8];
        for (long id = 1; id <= 64; id++) {
            int i = Stripes.index(id, 7);
            assertThat(i).isBetween(0, 7);
            seen[i] = true;
        }
        assertThat(seen).containsOnly(true);
        assertThat(Stripes.current()).isBetween(0, Stripes.COUNT - 1).isEqualTo(Stripes.current());
    }
}
