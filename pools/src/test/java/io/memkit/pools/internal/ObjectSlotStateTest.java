package io.memkit.pools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The state machine of an {@link ObjectSlot}: AVAILABLE, LENT, RETURNING, DEAD and the loan count. */
class ObjectSlotStateTest {

    @Test
    void aLoanIsClaimedAndEndedByCompareAndSetsAndCounted() {
        ObjectSlot<String> slot = new PaddedObjectSlot<>(null, "x");
        long first = slot.stamp();
        assertThat(ObjectSlot.state(first)).isEqualTo(ObjectSlot.LENT); // lent to its creator
        assertThat(slot.claim()).as("a lent slot cannot be claimed").isZero();
        assertThat(slot.beginReturn(first)).isTrue();
        assertThat(ObjectSlot.state(slot.stamp())).isEqualTo(ObjectSlot.RETURNING);
        assertThat(slot.beginReturn(first)).as("a loan ends once").isFalse();
        assertThat(slot.claim()).as("a returning slot cannot be claimed").isZero();
        slot.finishReturn();
        assertThat(ObjectSlot.state(slot.stamp())).isEqualTo(ObjectSlot.AVAILABLE);
        long second = slot.claim();
        assertThat(second).isNotZero();
        assertThat(slot.isLive(second)).isTrue();
        assertThat(slot.isLive(first)).isFalse();
        assertThat(slot.claim()).isZero();
        assertThat(ObjectSlot.started(slot.stamp())).isEqualTo(2);
        assertThat(ObjectSlot.ended(slot.stamp())).isEqualTo(1);
        assertThat(slot.beginReturn(first)).as("a stale stamp never matches again").isFalse();
    }

    @Test
    void onlyAnIdleSlotOrALeakedLoanIsKilled() {
        ObjectSlot<String> slot = new PaddedObjectSlot<>(null, "x");
        long loan = slot.stamp();
        assertThat(slot.kill(false)).as("a lent slot stays").isEqualTo(-1);
        assertThat(slot.kill(true)).as("the leak handler kills a lent slot").isEqualTo(loan);
        assertThat(ObjectSlot.state(slot.stamp())).isEqualTo(ObjectSlot.DEAD);
        assertThat(slot.claim()).isZero();
        assertThat(slot.beginReturn(loan)).as("the leaked handle cannot end the loan").isFalse();
        assertThat(slot.kill(true)).isEqualTo(-1);

        ObjectSlot<String> idle = new PaddedObjectSlot<>(null, "y");
        idle.beginReturn(idle.stamp());
        idle.finishReturn();
        long before = idle.stamp();
        assertThat(idle.kill(false)).isEqualTo(before);
        assertThat(idle.claim()).isZero();
        assertThat(ObjectSlot.ended(before)).isEqualTo(1);
    }

    @Test
    void idleDecayKillsOnlyFromTheExactIdleStampItSaw() {
        ObjectSlot<String> slot = new PaddedObjectSlot<>(null, "x");
        long lent = slot.stamp();
        assertThat(slot.killIfStill(lent)).as("a lent stamp is never killed").isFalse();
        slot.beginReturn(lent);
        assertThat(slot.killIfStill(slot.stamp())).as("nor a returning one").isFalse();
        slot.finishReturn();
        long idle = slot.stamp();
        long loan = slot.claim();
        slot.beginReturn(loan);
        slot.finishReturn();
        assertThat(slot.killIfStill(idle)).as("a loan came and went since: not idle since then").isFalse();
        assertThat(ObjectSlot.state(slot.stamp())).isEqualTo(ObjectSlot.AVAILABLE);
        long now = slot.stamp();
        assertThat(slot.killIfStill(now)).isTrue();
        assertThat(ObjectSlot.state(slot.stamp())).isEqualTo(ObjectSlot.DEAD);
        assertThat(ObjectSlot.ended(slot.stamp())).as("the loans it served stay counted").isEqualTo(2);
        assertThat(slot.claim()).isZero();
        assertThat(slot.killIfStill(now)).as("killed once").isFalse();
    }
}
