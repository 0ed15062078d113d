/**
 * Measures what code allocates and exposes every memkit component's counters.
 */
module io.memkit.meter {
    requires java.management;
    requires jdk.management;
    // Static: memkit runs on a runtime image without JFR; AllocationSites needs it in the module graph.
    requires static jdk.jfr;
    exports io.memkit.meter;
    // Striping and counting, shared by the other modules; not API.
    exports io.memkit.meter.internal to io.memkit.buffers, io.memkit.pools, io.memkit.weakcache;
}
