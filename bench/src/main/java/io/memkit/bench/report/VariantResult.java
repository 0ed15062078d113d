package io.memkit.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of one variant of one scenario.
 *
 * @param name        what ran, e.g. {@code "memkit Slice"}
 * @param role        naive, memkit, peer or reference
 * @param bytesPerOp  the scenario's byte figure per unit (heap bytes allocated per op unless the
 *                    scenario says otherwise, e.g. retained bytes per value); {@code NaN} if unknown
 * @param nsPerOp     median time per unit over the measured batches; {@code NaN} if unknown
 * @param gcCount     collections (all collectors) during the measured batches; -1 if unknown
 * @param gcMillis    collection time in milliseconds during the measured batches; -1 if unknown
 * @param directBytes direct memory this variant still holds at its end, in bytes; -1 if unknown
 * @param ops         units measured (operations or elements)
 * @param extras      further named figures, in a fixed order (e.g. {@code "allocatedBytesPerOp"})
 * @param error       why the variant failed, or {@code null} when it ran
 */
public record VariantResult(String name, Role role, double bytesPerOp, double nsPerOp, long gcCount, long gcMillis,
                            long directBytes, long ops, Map<String, Double> extras, String error) {

    /**
     * Checks the name and role and copies {@code extras} into an unmodifiable ordered map.
     *
     * @throws NullPointerException if {@code name}, {@code role} or {@code extras} is {@code null}
     */
    public VariantResult {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(role, "role must not be null");
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(extras, "extras must not be null")));
    }

    /**
     * A row for a variant that threw instead of producing figures.
     *
     * @param name  the variant's name
     * @param role  its role
     * @param error what went wrong, shown in the table and the JSON
     * @return a failed result with unknown figures
     */
    public static VariantResult failed(String name, Role role, String error) {
        return new VariantResult(name, role, Double.NaN, Double.NaN, -1, -1, -1, 0, Map.of(),
                Objects.requireNonNull(error, "error must not be null"));
    }

    /**
     * Tells whether the variant ran and produced figures.
     *
     * @return {@code true} unless {@link #error()} is set
     */
    public boolean ok() {
        return error == null;
    }

    /**
     * The same figures with one more named figure added at the end of {@link #extras()}.
     *
     * @param key   the figure's name
     * @param value its value
     * @return a new result
     */
    public VariantResult withExtra(String key, double value) {
        Map<String, Double> more = new LinkedHashMap<>(extras);
        more.put(key, value);
        return new VariantResult(name, role, bytesPerOp, nsPerOp, gcCount, gcMillis, directBytes, ops, more, error);
    }
}
