/**
 * Zero-copy, bounds-checked views of bytes: {@link io.memkit.buffers.Slice} and
 * {@link io.memkit.buffers.CompositeSlice}.
 */
module io.memkit.buffers {
    requires transitive io.memkit.meter;
    exports io.memkit.buffers;
    // The lifetime hook: pools make Slices over leased memory through it.
    exports io.memkit.buffers.internal to io.memkit.pools;
}
