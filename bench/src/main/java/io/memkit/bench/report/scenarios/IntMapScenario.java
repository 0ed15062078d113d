package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.Variant;
import io.memkit.bench.report.VariantScenario;
import java.util.HashMap;
import java.util.List;
import org.agrona.collections.Int2IntHashMap;

/**
 * Everyday collections, 2: an int-to-int map of 10,000 entries as {@code HashMap<Integer, Integer>}
 * (a node and two boxes per entry) vs Agrona's open-addressing {@code Int2IntHashMap} (two ints per slot).
 */
public final class IntMapScenario extends VariantScenario {
    /** Entries per map: one op builds one map. */
    public static final int ENTRIES = 10_000;

    @Override
    public String id() {
        return "collections-map";
    }

    @Override
    public String title() {
        return "HashMap<Integer,Integer> vs a primitive map";
    }

    @Override
    public String description() {
        return "Build a map of " + String.format("%,d", ENTRIES) + " int keys to int values (outside the Integer cache): "
                + "HashMap<Integer,Integer> vs Agrona Int2IntHashMap, both from their default capacity. Bytes are heap "
                + "retained per entry by the finished map; extras give the heap allocated per entry while building it.";
    }

    @Override
    public String unit() {
        return "entry";
    }

    @Override
    public String bytesLabel() {
        return "heap bytes retained";
    }

    @Override
    protected List<Variant> variants(ScenarioContext context) {
        return List.of(new HeldCollection("HashMap<Integer,Integer>", Role.NAIVE, IntMapScenario::boxed, ENTRIES, 40),
                new HeldCollection("Agrona Int2IntHashMap", Role.PEER, IntMapScenario::primitive, ENTRIES, 40));
    }

    static Object boxed() {
        HashMap<Integer, Integer> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(1000 + 7 * i, 1000 + i);
        }
        return map;
    }

    static Object primitive() {
        Int2IntHashMap map = new Int2IntHashMap(-1);
        for (int i = 0; i < ENTRIES; i++) {
            map.put(1000 + 7 * i, 1000 + i);
        }
        return map;
    }
}
