package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.Sink;
import io.memkit.bench.report.Variant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A variant of the everyday-collection scenarios: one op builds a collection of {@code units}
 * elements and keeps it, and the heap the finished collection retains is reported per element.
 */
final class HeldCollection extends Variant {
    private final Supplier<Object> build;
    private final int units;
    /** How many collections to hold at once when measuring retained heap. */
    private final int retainedSamples;

    HeldCollection(String name, Role role, Supplier<Object> build, int units, int retainedSamples) {
        super(name, role);
        this.build = build;
        this.units = units;
        this.retainedSamples = retainedSamples;
    }

    @Override
    public long batch(int ops) {
        long sum = 0;
        for (int op = 0; op < ops; op++) {
            Object collection = build.get();
            sum += System.identityHashCode(collection) & 1;
            Sink.keep(collection);
        }
        return sum;
    }

    @Override
    public int unitsPerOp() {
        return units;
    }

    @Override
    public Map<String, Double> afterBatches(ScenarioContext context) {
        Map<String, Double> extras = new LinkedHashMap<>();
        extras.put(RETAINED_BYTES, context.retainedBytes(build, retainedSamples) / units);
        return extras;
    }
}
