package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.Sink;
import io.memkit.bench.report.Variant;
import io.memkit.bench.report.VariantScenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everyday collections, 1: an {@code ArrayList} filled with 10,000 references, grown from the
 * default capacity vs presized. Every growth step copies the array and drops the old one.
 */
public final class ListGrowthScenario extends VariantScenario {
    /** Elements per list: one op builds one list. */
    public static final int ELEMENTS = 10_000;
    private static final Object ELEMENT = new Object();

    @Override
    public String id() {
        return "collections-list";
    }

    @Override
    public String title() {
        return "ArrayList grown vs presized";
    }

    @Override
    public String description() {
        return "Fill an ArrayList with " + String.format("%,d", ELEMENTS) + " references to one existing object: new "
                + "ArrayList<>() grown step by step (1.5x, copying each time) vs new ArrayList<>(n). Bytes are heap "
                + "allocated per element, growth garbage included; extras give the heap the finished list retains per element.";
    }

    @Override
    public String unit() {
        return "element";
    }

    @Override
    protected List<Variant> variants(ScenarioContext context) {
        return List.of(new Fill("new ArrayList<>() grown", Role.NAIVE, false),
                new Fill("new ArrayList<>(n) presized", Role.PEER, true));
    }

    static final class Fill extends Variant {
        private final boolean presized;

        Fill(String name, Role role, boolean presized) {
            super(name, role);
            this.presized = presized;
        }

        ArrayList<Object> build() {
            ArrayList<Object> list = presized ? new ArrayList<>(ELEMENTS) : new ArrayList<>();
            for (int i = 0; i < ELEMENTS; i++) {
                list.add(ELEMENT);
            }
            return list;
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int op = 0; op < ops; op++) {
                ArrayList<Object> list = build();
                sum += list.size();
                Sink.keep(list);
            }
            return sum;
        }

        @Override
        public int unitsPerOp() {
            return ELEMENTS;
        }

        @Override
        public Map<String, Double> afterBatches(ScenarioContext context) {
            return Map.of("retainedBytesPerElement", context.retainedBytes(this::build, 100) / ELEMENTS);
        }
    }
}
