package io.memkit.buffers.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The memory behind a set of {@link io.memkit.buffers.Slice}s and its lifetime: the hook through
 * which pools hand out Slices over leased memory.
 *
 * <p>A Slice holds only its owner, an offset and a length; the owner holds the memory and whether
 * it may still be touched. Pools create one owner per lease and never reuse it: when the lease is
 * released the pool calls {@link #invalidate()}, and from then on every Slice over that owner
 * throws {@link IllegalStateException}, forever, even after the same memory was handed to a new
 * lease (which gets a new owner). That is the generation stamp of the design: a new owner per
 * lease is a new generation, and a Slice compares against its own owner's state on every access.
 *
 * <p>Memory ordering: {@link #invalidate()} is a release store; readers check
 * {@link #isAccessible()} (an acquire load) after loading data, so a read that raced with a
 * release throws instead of returning the next owner's bytes whenever the release is visible to
 * it, and always when the release happened-before the read.
 *
 * <p>Not for users: exported only to {@code io.memkit.pools}.
 */
public abstract class SliceOwner {

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(SliceOwner.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ByteBuffer memory;
    @SuppressWarnings("unused") // accessed through RELEASED
    private boolean released;

    /**
     * Creates an owner of {@code memory}, which must not be visible to users: Slices address it
     * with absolute indices from 0 up to its capacity, and rely on its limit staying at capacity.
     *
     * @param memory the memory Slices over this owner may address; its byte order is set to
     *               big-endian and its limit to its capacity
     */
    protected SliceOwner(ByteBuffer memory) {
        this.memory = Objects.requireNonNull(memory, "memory must not be null")
                .clear().order(ByteOrder.BIG_ENDIAN);
    }

    /**
     * The memory Slices over this owner address: never hand it to users.
     *
     * @return the owner's buffer (big-endian, limit = capacity)
     */
    public final ByteBuffer memory() {
        return memory;
    }

    /**
     * Tells whether Slices over this owner may still be used (acquire load).
     *
     * @return {@code false} once {@link #invalidate()} was called
     */
    public final boolean isAccessible() {
        return !(boolean) RELEASED.getAcquire(this);
    }

    /**
     * Ends the lifetime: every Slice over this owner throws {@link IllegalStateException} from now
     * on. Idempotent; a release store, so that it is ordered before the memory's handoff.
     */
    protected final void invalidate() {
        RELEASED.setRelease(this, true);
    }

    /**
     * Called each time a raw {@link ByteBuffer} view of this owner's memory leaves memkit
     * ({@code Slice.asByteBuffer()}): from then on the memory cannot be proven unreachable by
     * users. Pools record it to decide whether a leaked lease's memory may be reclaimed.
     */
    public void rawViewEscaped() {
    }

    /**
     * A few words naming the owner for exception messages, for example
     * {@code "lease of 4096 bytes from pool 'io'"}.
     *
     * @return the description
     */
    public String describe() {
        return getClass().getSimpleName();
    }
}
