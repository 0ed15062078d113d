package io.memkit.buffers.internal;

import io.memkit.meter.internal.Stripes;
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
 * lease (which gets a new owner). A new owner per lease acts as a generation stamp: a Slice
 * compares against its own owner's state on every access, never against the memory's.
 *
 * <p>Memory ordering: {@link #invalidate()} is a release store followed by a store-store fence,
 * so the flag is ordered before the memory's handoff and before every byte a later owner writes.
 * Slice writes check the flag first (acquire load). Slice reads load their data first and then
 * re-check the flag ({@link #isAccessibleAfterLoad(int)}), reading it at an address computed
 * from the loaded value: {@code released[value & (released.length - 1)]}, where the array's
 * length is 1, which the JIT does not know where the owner was made elsewhere: the index is
 * always 0, and the mask also lets the JIT drop the range check. Neither the JIT nor the processor can read
 * the flag before the data it depends on, which orders the two loads as a LoadLoad fence would,
 * yet leaves the JIT free to hoist the Slice's and owner's other fields out of loops, which a
 * fence per read would forbid. Bulk reads
 * (copies, comparisons) use a real fence ({@link #isAccessibleAfterLoads()}). Hence:
 * <ul>
 *   <li>a use ordered after the release (same thread, or any happens-before edge) always throws;</li>
 *   <li>a read racing with a release on another thread either returns bytes of this lease or
 *       throws: if its load saw a byte that a later owner wrote after the handoff, the flag store
 *       precedes that byte, so the re-check ordered after the load sees it (on the multi-copy-atomic
 *       processors HotSpot runs on, x86 and ARMv8, which keep address-dependent loads in order) and
 *       the read throws instead of returning it;</li>
 *   <li>a write racing with a release is a bug in the caller and may land in the next owner's
 *       memory before the release becomes visible; memkit cannot prevent that without a lock.</li>
 * </ul>
 * Owners created with {@code releasable = false} (memory the user wrapped) are never released,
 * so their Slices skip the re-check.
 *
 * <p>Not for users: exported only to {@code io.memkit.pools}.
 */
public abstract class SliceOwner {

    /** Element access to {@link #released}. */
    private static final VarHandle FLAG = MethodHandles.arrayElementVarHandle(boolean[].class);
    /** The flag of every owner that is never released: never written, and never read by them. */
    private static final boolean[] NEVER_RELEASED = new boolean[1];

    private final ByteBuffer memory;
    /** The writable heap array behind {@link #memory}, or {@code null} (direct or read-only). */
    private final byte[] array;
    /** Index in {@link #array} of the memory's byte 0. */
    private final int arrayOffset;
    /** {@code false} for owners that never call {@link #invalidate()}. */
    private final boolean releasable;
    /**
     * The released flag, element 0; an array so that a read can index it with a value that
     * depends on the bytes it loaded. Written with release semantics through {@link #FLAG}.
     */
    private final boolean[] released;
    /**
     * The counter stripe of the thread that made this owner, where {@link SliceCounters} counts
     * the views of this memory: read from here, a view's count needs no load of the current
     * thread, which in a loop that makes views keeps one more value live across each iteration.
     */
    private final byte stripe = (byte) Stripes.current();

    /**
     * Creates an owner of {@code memory}, which must not be visible to users: Slices address it
     * with absolute indices from 0 up to its capacity, and rely on its limit staying at capacity.
     *
     * @param memory the memory Slices over this owner may address; its byte order is set to
     *               big-endian and its limit to its capacity
     */
    protected SliceOwner(ByteBuffer memory) {
        this(memory, true);
    }

    /**
     * Creates an owner of {@code memory}, as {@link #SliceOwner(ByteBuffer)}, saying whether it
     * may ever be released. An owner that never is (memory the user wrapped) lets Slices skip the
     * fence of the re-check after each read: there is no release for a read to race with.
     *
     * @param memory     the memory Slices over this owner may address
     * @param releasable {@code false} if {@link #invalidate()} will never be called; it then throws
     */
    protected SliceOwner(ByteBuffer memory, boolean releasable) {
        this.releasable = releasable;
        // Wrapped memory is never released: sharing one flag saves an array per Slice.wrap.
        this.released = releasable ? new boolean[1] : NEVER_RELEASED;
        Objects.requireNonNull(memory, "memory must not be null");
        // Write only when needed: pools may pass one slab buffer to many owners made on many
        // threads at once, and stores to it would bounce its cache line between cores.
        if (memory.position() != 0 || memory.limit() != memory.capacity()) {
            memory.clear();
        }
        if (memory.order() != ByteOrder.BIG_ENDIAN) {
            memory.order(ByteOrder.BIG_ENDIAN);
        }
        this.memory = memory;
        if (memory.hasArray()) { // false for read-only and direct buffers
            this.array = memory.array();
            this.arrayOffset = memory.arrayOffset();
        } else {
            this.array = null;
            this.arrayOffset = 0;
        }
    }

    /**
     * The writable heap array behind {@link #memory()}, so that Slices read and write it through
     * array accesses rather than through the buffer; never hand it to users.
     *
     * @return the array, or {@code null} when the memory is direct or read-only
     */
    public final byte[] heapArray() {
        return array;
    }

    /**
     * Where byte 0 of {@link #memory()} sits in {@link #heapArray()}.
     *
     * @return the array offset, or 0 when there is no heap array
     */
    public final int heapArrayOffset() {
        return arrayOffset;
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
     * Tells whether Slices over this owner may still be used (acquire load): the check before a
     * write, or before handing out a new view.
     *
     * @return {@code false} once {@link #invalidate()} was called
     */
    public final boolean isAccessible() {
        return !releasable || !(boolean) FLAG.getAcquire(released, 0);
    }

    /**
     * The liveness re-check of a read that has already loaded {@code loaded}: the flag is read at
     * index {@code loaded & (length - 1)}, always 0, an address that depends on the loaded value,
     * so the flag load cannot happen before the data load (see the class comment). No fence; for
     * owners that are never released, no load at all.
     *
     * @param loaded the value the read loaded (any bits of it)
     * @return {@code false} once {@link #invalidate()} is visible to the calling thread
     */
    public final boolean isAccessibleAfterLoad(int loaded) {
        boolean[] flag = released;
        return !releasable || !flag[loaded & (flag.length - 1)];
    }

    /**
     * As {@link #isAccessibleAfterLoad(int)}, for a {@code long} the read loaded.
     *
     * @param loaded the value the read loaded
     * @return {@code false} once {@link #invalidate()} is visible to the calling thread
     */
    public final boolean isAccessibleAfterLoad(long loaded) {
        boolean[] flag = released;
        return !releasable || !flag[(int) loaded & (flag.length - 1)];
    }

    /**
     * The liveness re-check of a bulk read (a copy, a comparison, a decode) that has already
     * loaded its data: a LoadLoad fence, then a plain load of the flag. The fence keeps every
     * earlier load before the flag load, so a read that saw bytes written after the release also
     * sees the release. One fence per bulk operation; for owners that are never released, nothing.
     *
     * @return {@code false} once {@link #invalidate()} is visible to the calling thread
     */
    public final boolean isAccessibleAfterLoads() {
        if (!releasable) {
            return true;
        }
        VarHandle.loadLoadFence();
        return !released[0];
    }

    /** The counter stripe of the thread that made this owner, in {@code [0, Stripes.COUNT)}. */
    final int stripe() {
        return stripe;
    }

    /**
     * Ends the lifetime: every Slice over this owner throws {@link IllegalStateException} from now
     * on. Idempotent. A release store followed by a store-store fence, so that the flag is ordered
     * before the memory's handoff and before any byte this thread or a later owner writes next.
     *
     * @throws UnsupportedOperationException if this owner was created as never released
     */
    protected final void invalidate() {
        if (!releasable) {
            throw new UnsupportedOperationException(describe() + " is never released");
        }
        FLAG.setRelease(released, 0, true);
        VarHandle.storeStoreFence();
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
