package io.memkit.bench.report;

/**
 * What a variant stands for in a scenario: the baseline that savings are computed against,
 * memkit's answer, a peer library's answer, or a reference point that is neither.
 */
public enum Role {
    /** The plain code most programs write; "saved vs naive" is measured against it. */
    NAIVE,
    /** memkit's way of doing the same work. */
    MEMKIT,
    /** Another library's way (Netty, Agrona, Guava, Caffeine, commons-pool2, Stormpot) or the JDK's. */
    PEER,
    /** A point of comparison that is not a real alternative, e.g. code the JIT optimizes away. */
    REFERENCE;

    /**
     * The lower-case name used in the table, the HTML page and {@code report.json}.
     *
     * @return for example {@code "naive"}
     */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
