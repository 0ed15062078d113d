/**
 * A JUnit 5 extension that holds a test method to an allocation budget: {@link io.memkit.junit.AllocationBudget}.
 */
module io.memkit.junit {
    requires transitive org.junit.jupiter.api;
    requires io.memkit.meter;
    // io.memkit.meter reads jdk.jfr statically; requiring it here puts it in a modular test run's graph,
    // so that a failing budget can show the allocation sites.
    requires jdk.jfr;
    exports io.memkit.junit;
    // JUnit instantiates the (package-private) extension reflectively.
    opens io.memkit.junit to org.junit.platform.commons;
}
