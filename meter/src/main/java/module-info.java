/**
 * Measures what code allocates and exposes every memkit component's counters.
 */
module io.memkit.meter {
    requires java.management;
    requires jdk.management;
    exports io.memkit.meter;
}
