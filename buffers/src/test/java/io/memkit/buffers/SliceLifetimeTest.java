package io.memkit.buffers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.buffers.internal.SliceAccess;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The lifetime hook, driven by a test-only owner the way a pool drives it. */
class SliceLifetimeTest {

    private static final long A = 0xAAAA_AAAA_AAAA_AAAAL;
    private static final long B = 0xBBBB_BBBB_BBBB_BBBBL;

    @Test
    void staleSliceThrowsAfterReleaseAndNeverSeesTheNextOwnersBytes() {
        ByteBuffer memory = ByteBuffer.allocateDirect(64);
        TestOwner first = new TestOwner(memory, "lease 1 of 64 bytes from pool 'test'");
        Slice stale = first.slice().slice(8, 32);
        Slice staleRo = stale.asReadOnly();
        stale.putLong(0, A);
        assertThat(stale.isAccessible()).isTrue();

        first.release();
        TestOwner second = new TestOwner(memory, "lease 2");
        Slice fresh = second.slice();
        fresh.putLong(8, B); // the same bytes the stale slice addressed

        assertThat(stale.isAccessible()).isFalse();
        assertThat(staleRo.isAccessible()).isFalse();
        Executable[] uses = {
            () -> stale.getByte(0), () -> stale.getUnsignedByte(0),
            () -> stale.getShort(0), () -> stale.getShortLE(0),
            () -> stale.getInt(0), () -> stale.getIntLE(0),
            () -> stale.getLong(0), () -> stale.getLongLE(0),
            () -> stale.putByte(0, (byte) 1), () -> stale.putShort(0, (short) 1),
            () -> stale.putShortLE(0, (short) 1), () -> stale.putInt(0, 1), () -> stale.putIntLE(0, 1),
            () -> stale.putLong(0, 1), () -> stale.putLongLE(0, 1),
            () -> stale.putBytes(0, Slice.wrap(new byte[1])), () -> fresh.putBytes(0, stale),
            () -> stale.slice(0, 8), () -> stale.asReadOnly(), () -> stale.asByteBuffer(),
            () -> stale.indexOf((byte) 0xBB, 0), () -> stale.contentEquals(fresh), () -> fresh.contentEquals(stale),
            () -> stale.compareTo(fresh), () -> fresh.compareTo(stale),
            () -> stale.toString(StandardCharsets.ISO_8859_1),
            () -> stale.toByteArray(), () -> stale.copyTo(new byte[32], 0),
            () -> stale.copyTo(ByteBuffer.allocate(32)),
            () -> stale.writeTo(Channels.newChannel(new ByteArrayOutputStream())),
            () -> staleRo.getLong(0),
        };
        for (Executable use : uses) {
            assertThatThrownBy(use::execute)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released")
                    .hasMessageContaining("lease 1 of 64 bytes from pool 'test'");
        }
        assertThat(stale.toString()).contains("released").contains("lease 1");
        assertThat(stale).isEqualTo(stale).isNotEqualTo(fresh.slice(8, 32)).isNotEqualTo(staleRo);
        assertThat(fresh.slice(8, 32)).isNotEqualTo(stale);
        assertThat(stale.hashCode()).isEqualTo(System.identityHashCode(stale));
        assertThat(stale.length()).isEqualTo(32); // metadata stays readable
        assertThat(fresh.getLong(8)).isEqualTo(B); // and the new owner's bytes were never touched
    }

    @Test
    void aReleasedSliceIsEqualOnlyToItselfSoAHashMapKeepsWorkingForItsOtherKeys() {
        TestOwner lease = new TestOwner(ByteBuffer.allocateDirect(16), "lease");
        Slice key = lease.slice().slice(0, 4);
        key.putInt(0, 42);
        Slice twin = lease.slice().slice(0, 4);
        Slice sameBytes = Slice.wrap(new byte[] {0, 0, 0, 42});
        assertThat(key).isEqualTo(twin).isEqualTo(sameBytes).hasSameHashCodeAs(sameBytes);

        java.util.Map<Slice, String> map = new java.util.HashMap<>();
        map.put(key, "pooled");
        Slice other = Slice.wrap(new byte[] {1, 2, 3});
        map.put(other, "wrapped");
        lease.release();

        // The released key has no content: equal only to itself, hashed by identity, never throwing.
        assertThat(key.equals(key)).isTrue();
        assertThat(key.equals(twin)).isFalse();
        assertThat(key.equals(sameBytes)).isFalse();
        assertThat(sameBytes.equals(key)).isFalse();
        assertThat(key.hashCode()).isEqualTo(System.identityHashCode(key));
        // Lookups that reach the released entry's bucket compare against it without throwing.
        assertThat(map.get(sameBytes)).isNull();
        assertThat(map.get(Slice.wrap(new byte[] {1, 2, 3}))).isEqualTo("wrapped");
        assertThat(map.containsValue("pooled")).isTrue();
        map.values().remove("pooled"); // the released key is found by iteration, not by lookup
        assertThat(map).containsOnlyKeys(other);
        assertThatThrownBy(() -> key.compareTo(sameBytes)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sliceAccessChecksTheWindowAgainstTheOwnersMemory() {
        TestOwner owner = new TestOwner(ByteBuffer.allocateDirect(16), "lease");
        assertThat(SliceAccess.slice(owner, 4, 12).length()).isEqualTo(12);
        assertThatThrownBy(() -> SliceAccess.slice(owner, 4, 13)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SliceAccess.slice(null, 0, 0)).isInstanceOf(NullPointerException.class);
        TestOwner ro = new TestOwner(ByteBuffer.allocateDirect(4).asReadOnlyBuffer(), "ro");
        assertThat(ro.slice().isReadOnly()).isTrue();
    }

    @Test
    void anOwnerDeclaredNeverReleasedRefusesToBeReleased() {
        class Forever extends io.memkit.buffers.internal.SliceOwner {
            Forever() {
                super(ByteBuffer.allocate(8), false);
            }

            void release() {
                invalidate();
            }
        }
        Forever owner = new Forever();
        Slice s = SliceAccess.slice(owner, 0, 8);
        assertThatThrownBy(owner::release).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("never released");
        assertThat(s.isAccessible()).isTrue();
        assertThat(s.getLong(0)).isZero();
    }

    /**
     * A reader hammers a slice while another thread releases its owner and the next owner writes
     * different bytes into the same memory: the reader must see the old bytes or an exception,
     * never the new bytes. Many short rounds, each releasing once the reader is well into its
     * loop, so the release lands mid-loop, in compiled code after the first rounds.
     */
    @Test
    void aReadRacingWithAReleaseNeverReturnsTheNextOwnersBytes() throws Exception {
        ByteBuffer memory = ByteBuffer.allocateDirect(64);
        byte[] heap = new byte[64];
        AtomicLong leaks = new AtomicLong();
        AtomicLong racedReads = new AtomicLong();
        for (int round = 0; round < 250; round++) {
            ByteBuffer m = round % 2 == 0 ? memory : ByteBuffer.wrap(heap);
            TestOwner first = new TestOwner(m, "round " + round);
            Slice s = first.slice();
            for (int i = 0; i < 64; i += 8) {
                s.putLong(i, A);
            }
            CountDownLatch readerStarted = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                readerStarted.countDown();
                try {
                    for (long n = 0; ; n++) {
                        long v = s.getLong((int) (n & 7) * 8);
                        if (v != A) {
                            leaks.incrementAndGet();
                        }
                        if ((n & 0xFF) == 0) {
                            racedReads.incrementAndGet();
                        }
                    }
                } catch (IllegalStateException expected) {
                    // released: the only acceptable way out
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            readerStarted.await();
            // Let the reader run a while (its loop gets compiled over the rounds), then release.
            long target = racedReads.get() + 20;
            while (racedReads.get() < target && reader.isAlive()) {
                Thread.onSpinWait();
            }
            first.release();
            TestOwner second = new TestOwner(m, "next");
            Slice next = second.slice();
            for (int k = 0; k < 1000 && reader.isAlive(); k++) {
                for (int i = 0; i < 64; i += 8) {
                    next.putLong(i, B);
                }
            }
            reader.join(10_000);
            assertThat(reader.isAlive()).as("reader saw the release within 10 s").isFalse();
            assertThat(failure.get()).isNull();
            for (int i = 0; i < 64; i += 8) {
                next.putLong(i, A); // restore for the next round's first owner
            }
        }
        assertThat(leaks.get()).as("reads that returned the next owner's bytes").isZero();
        assertThat(racedReads.get()).isPositive();
    }
}
