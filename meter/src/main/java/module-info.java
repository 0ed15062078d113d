/**
 * Measures what code allocates and exposes every memkit component's counters.
 */
module io.memkit.meter {
    requires java.management;
    requires jdk.management;
    exports io.memkit.meter;
    // Striping and counting, shared by the other modules; not API.
    exports io.memkit.meter.internal to io.memkit.buffers, io.memkit.pools, io.memkit.weakcache,
            io.memkit.netty;
}
