/**
 * A Netty {@code ByteBufAllocator} over a memkit {@code BufferPool}:
 * {@link io.memkit.netty.MemkitByteBufAllocator}.
 */
module io.memkit.netty {
    requires transitive io.memkit.pools;
    requires transitive io.netty.buffer;
    requires io.netty.common;
    exports io.memkit.netty;
}
