/**
 * Binds memkit's components to Micrometer: {@link io.memkit.micrometer.MemkitMetrics}.
 */
@SuppressWarnings("requires-transitive-automatic") // Micrometer ships no module-info, only an Automatic-Module-Name
module io.memkit.micrometer {
    requires transitive io.memkit.meter;
    // MemkitMetrics implements MeterBinder, so users of this module read Micrometer too.
    requires transitive micrometer.core;
    exports io.memkit.micrometer;
}
