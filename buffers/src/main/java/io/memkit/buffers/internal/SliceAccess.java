package io.memkit.buffers.internal;

import io.memkit.buffers.Slice;
import java.util.Objects;

/**
 * Makes {@link Slice}s over a {@link SliceOwner}: how pools create checked views of leased memory
 * without a public constructor on {@code Slice}.
 *
 * <p>Not for users: exported only to {@code io.memkit.pools}.
 */
public final class SliceAccess {

    /** Implemented by {@code Slice} itself, which alone may call its constructor. */
    public interface Factory {
        /**
         * Makes a view of {@code length} bytes from {@code offset} in {@code owner}'s memory.
         *
         * @param owner  the memory and its lifetime
         * @param offset first byte, in the owner's memory
         * @param length number of bytes
         * @param readOnly whether puts must throw
         * @return the view
         */
        Slice slice(SliceOwner owner, int offset, int length, boolean readOnly);
    }

    private static volatile Factory factory;

    private SliceAccess() {
    }

    /**
     * Installs the factory; called once by {@code Slice}'s class initializer.
     *
     * @param f the factory
     */
    public static void install(Factory f) {
        factory = Objects.requireNonNull(f, "factory");
    }

    /**
     * A Slice over bytes {@code [offset, offset + length)} of {@code owner}'s memory, writable
     * unless that memory is a read-only buffer. O(1), one 24-byte object; counted as a view in
     * {@code Slice.stats()}. The Slice checks the owner's lifetime on every access.
     *
     * @param owner  the memory and its lifetime
     * @param offset first byte, in the owner's memory
     * @param length number of bytes
     * @return the view
     * @throws NullPointerException      if {@code owner} is {@code null}
     * @throws IndexOutOfBoundsException if the window is not inside the owner's memory
     */
    public static Slice slice(SliceOwner owner, int offset, int length) {
        Objects.requireNonNull(owner, "owner must not be null");
        Objects.checkFromIndexSize(offset, length, owner.memory().capacity());
        Factory f = factory;
        if (f == null) {
            Slice.empty(); // runs Slice's class initializer, which installs the factory
            f = factory;
        }
        return f.slice(owner, offset, length, false);
    }
}
