/**
 * Measures what code allocates and exposes every memkit component's statistics.
 *
 * <p>Both management modules are {@code requires static}: the registry, {@link io.memkit.meter.Instrumented}
 * and the stats metadata need only {@code java.base}, so the pools and caches (which all read this
 * module) never pull JMX into an application. Two parts use them when they are present:
 * {@link io.memkit.meter.Instruments#registerJmx()} needs {@code java.management}, and
 * {@link io.memkit.meter.MemoryMeter} needs {@code jdk.management} (the JDK's per-thread allocation
 * counter, which also brings {@code java.management}). On the class path every system module is
 * there; a modular application that uses them says {@code requires jdk.management;} (or runs with
 * {@code --add-modules jdk.management}), otherwise {@code registerJmx()} throws and
 * {@code MemoryMeter.isSupported()} is {@code false}.
 */
module io.memkit.meter {
    requires static java.management;
    requires static jdk.management;
    // Static: memkit runs on a runtime image without JFR; AllocationSites needs it in the module graph.
    requires static jdk.jfr;
    exports io.memkit.meter;
    // Striping and counting, shared by the other modules; not API.
    exports io.memkit.meter.internal to io.memkit.buffers, io.memkit.pools, io.memkit.weakcache,
            io.memkit.netty;
}
