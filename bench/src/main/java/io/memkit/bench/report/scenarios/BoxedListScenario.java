package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.Variant;
import io.memkit.bench.report.VariantScenario;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.IntArrayList;

/**
 * Everyday collections, 3: 10,000 ints held as {@code List<Integer>} (a box and a reference each)
 * vs {@code int[]} vs Agrona's {@code IntArrayList}, all presized.
 */
public final class BoxedListScenario extends VariantScenario {
    /** Ints per list: one op builds one list. */
    public static final int ELEMENTS = 10_000;

    @Override
    public String id() {
        return "collections-boxed";
    }

    @Override
    public String title() {
        return "List<Integer> vs int[]";
    }

    @Override
    public String description() {
        return "Hold " + String.format("%,d", ELEMENTS) + " ints (outside the Integer cache), presized: ArrayList<Integer> "
                + "vs int[] vs Agrona IntArrayList. Bytes are heap retained per element; extras give the heap allocated "
                + "per element while building.";
    }

    @Override
    public String unit() {
        return "element";
    }

    @Override
    public String bytesLabel() {
        return "heap bytes retained";
    }

    @Override
    protected List<Variant> variants(ScenarioContext context) {
        return List.of(new HeldCollection("ArrayList<Integer>", Role.NAIVE, BoxedListScenario::boxed, ELEMENTS, 100),
                new HeldCollection("int[]", Role.PEER, BoxedListScenario::array, ELEMENTS, 100),
                new HeldCollection("Agrona IntArrayList", Role.PEER, BoxedListScenario::agrona, ELEMENTS, 100));
    }

    static Object boxed() {
        ArrayList<Integer> list = new ArrayList<>(ELEMENTS);
        for (int i = 0; i < ELEMENTS; i++) {
            list.add(1000 + i);
        }
        return list;
    }

    static Object array() {
        int[] a = new int[ELEMENTS];
        for (int i = 0; i < ELEMENTS; i++) {
            a[i] = 1000 + i;
        }
        return a;
    }

    static Object agrona() {
        IntArrayList list = new IntArrayList(ELEMENTS, Integer.MIN_VALUE);
        for (int i = 0; i < ELEMENTS; i++) {
            list.addInt(1000 + i);
        }
        return list;
    }
}
