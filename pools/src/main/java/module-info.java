/**
 * Bounded pools of direct memory ({@link io.memkit.pools.BufferPool}) and of reusable
 * objects ({@link io.memkit.pools.ObjectPool}).
 */
module io.memkit.pools {
    requires transitive io.memkit.meter;
    requires transitive io.memkit.buffers;
    requires org.jctools.core.jdk11;
    // Only to read the JVM's direct memory limit; absent, the pool falls back to the heap's maximum.
    requires static java.management;
    requires static jdk.management;
    // Flight Recorder events; absent, the pools record none.
    requires static jdk.jfr;
    exports io.memkit.pools;
    // A lease's memory and lifetime without its handle, for the Netty allocator; not API.
    exports io.memkit.pools.internal to io.memkit.netty;
}
