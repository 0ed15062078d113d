package io.memkit.bench.report;

import java.util.Map;
import java.util.Objects;

/**
 * One way of doing a scenario's work, measured by {@link ScenarioContext#measure(Variant)}.
 *
 * <p>The hot loop lives in {@link #batch(int)}, in the variant's own class, so that the JIT
 * compiles each variant's loop on its own and one variant's profile never slows another's.
 * Every object the work produces must reach {@link Sink} (or be folded into the returned
 * checksum) so that the JIT cannot remove the work or scalar-replace what a real program keeps.
 *
 * <p>Not thread-safe: the report runs one variant at a time on one thread.
 */
public abstract class Variant {
    /**
     * The extra that, when {@link #afterBatches(ScenarioContext)} returns it, becomes the variant's
     * byte figure (the scenario's {@link Scenario#bytesLabel()} then says "retained"); the heap
     * allocated per unit moves to the extras as {@link #ALLOCATED_BYTES}.
     */
    public static final String RETAINED_BYTES = "retainedBytesPerUnit";
    /** The extra holding heap bytes allocated per unit where {@link #RETAINED_BYTES} took the byte figure. */
    public static final String ALLOCATED_BYTES = "allocatedBytesPerUnit";

    private final String name;
    private final Role role;

    /**
     * Creates a variant.
     *
     * @param name what it is, as shown in the table (e.g. {@code "Netty slice"})
     * @param role its role in the scenario
     * @throws NullPointerException if an argument is {@code null}
     */
    protected Variant(String name, Role role) {
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.role = Objects.requireNonNull(role, "role must not be null");
    }

    /**
     * The variant's name.
     *
     * @return the name shown in the table
     */
    public final String name() {
        return name;
    }

    /**
     * The variant's role.
     *
     * @return naive, memkit, peer or reference
     */
    public final Role role() {
        return role;
    }

    /**
     * Prepares the variant (pools, files, data) before it is warmed up; not measured.
     *
     * @throws Exception if it cannot be prepared; the variant then fails alone
     */
    public void setUp() throws Exception {
    }

    /**
     * Runs {@code ops} operations.
     *
     * @param ops how many operations, at least 1
     * @return a checksum of the work, so that none of it is dead code
     * @throws Exception if the work fails; the variant then fails alone
     */
    public abstract long batch(int ops) throws Exception;

    /**
     * How many units one operation is: the figures are divided by it. A collection scenario whose
     * operation builds a 10,000-element list reports per element by returning 10,000.
     *
     * @return units per operation, at least 1
     */
    public int unitsPerOp() {
        return 1;
    }

    /**
     * The largest batch this variant may run, e.g. to bound the direct memory that
     * {@code allocateDirect} garbage holds before the next collection.
     *
     * @return the cap on operations per batch
     */
    public int maxOpsPerBatch() {
        return Integer.MAX_VALUE;
    }

    /**
     * Runs between measured batches, outside the measurement (by default nothing).
     *
     * @throws Exception if it fails; the variant then fails alone
     */
    public void betweenBatches() throws Exception {
    }

    /**
     * Direct memory the variant holds at its end, where it knows better than the JVM's
     * {@code "direct"} buffer pool (a pool's reserved bytes, Netty's own counter).
     *
     * @return bytes, or -1 to use the change of the JVM's direct memory since {@link #setUp()}
     */
    public long directBytesHeld() {
        return -1;
    }

    /**
     * Further figures measured after the batches, e.g. retained heap; added to the result's extras.
     *
     * @param context the running scenario's context, for progress lines and settings
     * @return named figures in a fixed order; empty by default
     * @throws Exception if measuring fails; the variant then fails alone
     */
    public Map<String, Double> afterBatches(ScenarioContext context) throws Exception {
        return Map.of();
    }

    /**
     * Releases what {@link #setUp()} took; runs even when the variant failed.
     *
     * @throws Exception if releasing fails
     */
    public void tearDown() throws Exception {
    }
}
