package io.memkit.buffers.internal;

import java.nio.ByteBuffer;

/**
 * The owner of memory the user wrapped ({@code Slice.wrap}): it never ends, since the user, not
 * memkit, decides when the array or buffer is done with. Immutable and thread-safe.
 */
public final class UnpooledOwner extends SliceOwner {

    /**
     * Owns {@code memory}, which must be a private duplicate or wrap: its limit and order are reset.
     *
     * @param memory a duplicate of the user's buffer or a wrap of the user's array
     */
    public UnpooledOwner(ByteBuffer memory) {
        super(memory, false);
    }

    @Override
    public String describe() {
        ByteBuffer m = memory();
        return "wrapped " + (m.isDirect() ? "direct buffer" : m.hasArray() ? "byte[]" : "read-only heap buffer")
                + " of " + m.capacity() + " bytes";
    }
}
