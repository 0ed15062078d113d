/**
 * Bounded pools of direct memory ({@link io.memkit.pools.BufferPool}) and of reusable
 * objects ({@link io.memkit.pools.ObjectPool}).
 */
module io.memkit.pools {
    requires transitive io.memkit.meter;
    requires transitive io.memkit.buffers;
    requires org.jctools.core.jdk11;
    exports io.memkit.pools;
}
