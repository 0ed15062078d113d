package io.memkit.buffers;

import io.memkit.buffers.internal.SliceAccess;
import io.memkit.buffers.internal.SliceOwner;
import java.nio.ByteBuffer;

/** A test-only lease: what a pool does with the hook, without a pool. */
final class TestOwner extends SliceOwner {

    private final String name;
    int escapes;

    TestOwner(ByteBuffer memory, String name) {
        super(memory);
        this.name = name;
    }

    /** The whole memory as a writable Slice, as a pool's lease would hand it out. */
    Slice slice() {
        return SliceAccess.slice(this, 0, memory().capacity());
    }

    void release() {
        invalidate();
    }

    @Override
    public void rawViewEscaped() {
        escapes++;
    }

    @Override
    public String describe() {
        return name;
    }
}
