package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.Variant;
import io.memkit.bench.report.VariantScenario;
import io.memkit.weakcache.Interner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Duplicate strings or value objects: a program reads many values, most of them equal to one seen
 * before, and holds them all. Each value is a fresh instance (as parsing produces); the variants
 * hold it as is, or hold the canonical instance an interner returns. The figure is the heap
 * retained per held value after a full collection.
 *
 * <p>Two instances of this class run: one for strings, one for a small value record.
 */
public final class InternScenario extends VariantScenario {
    private final boolean strings;

    /**
     * Creates the scenario.
     *
     * @param strings {@code true} for strings (with {@code String.intern} as a peer), {@code false} for value records
     */
    public InternScenario(boolean strings) {
        this.strings = strings;
    }

    /** A small value object, as a parser might produce per line. */
    record Price(long cents, String currency) {
    }

    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF"};

    @Override
    public String id() {
        return strings ? "intern-strings" : "intern-values";
    }

    @Override
    public String title() {
        return strings ? "Duplicate strings" : "Duplicate value objects";
    }

    @Override
    public String description() {
        String what = strings
                ? "strings like \"customer-417@example.com\""
                : "value records Price(long cents, String currency)";
        return "Hold " + what + " read from input, each a fresh instance, with 1 distinct value per 100. Hold every instance "
                + "as read (none) vs hold the canonical instance from a weak interner: memkit Interner.weak(), Guava Interners.newWeakInterner, "
                + "Caffeine Interner.newWeakInterner" + (strings ? ", String.intern" : "")
                + ". Bytes are heap retained per held value after a full GC (the holding array itself, present in both readings, "
                + "excluded); "
                + "extras give the heap allocated per op. One op makes one value and interns it."
                + (strings ? " String.intern keeps its table off-heap, so its table is not in the heap figure." : "");
    }

    @Override
    public String unit() {
        return "value";
    }

    @Override
    public String bytesLabel() {
        return "heap bytes retained after GC";
    }

    @Override
    protected List<Variant> variants(ScenarioContext context) {
        int held = context.settings().quick() ? 100_000 : 1_000_000;
        int distinct = held / 100;
        IntFunction<Object> fresh = strings
                ? k -> "customer-" + (k % distinct) + "@example.com"
                : k -> new Price(499L * (k % distinct), CURRENCIES[k & 3]);
        List<Variant> variants = new ArrayList<>();
        variants.add(new Holding("none (hold every instance)", Role.NAIVE, held, fresh) {
            @Override
            Object canonical(Object sample) {
                return sample;
            }
        });
        variants.add(new Holding("memkit Interner.weak()", Role.MEMKIT, held, fresh) {
            private Interner<Object> interner;

            @Override
            public void setUp() {
                interner = Interner.weak("report-" + id());
            }

            @Override
            Object canonical(Object sample) {
                return interner.intern(sample);
            }

            @Override
            public void tearDown() {
                interner = null;
            }
        });
        variants.add(new Holding("Guava weak interner", Role.PEER, held, fresh) {
            private com.google.common.collect.Interner<Object> interner;

            @Override
            public void setUp() {
                interner = com.google.common.collect.Interners.newWeakInterner();
            }

            @Override
            Object canonical(Object sample) {
                return interner.intern(sample);
            }

            @Override
            public void tearDown() {
                interner = null;
            }
        });
        variants.add(new Holding("Caffeine weak interner", Role.PEER, held, fresh) {
            private com.github.benmanes.caffeine.cache.Interner<Object> interner;

            @Override
            public void setUp() {
                interner = com.github.benmanes.caffeine.cache.Interner.newWeakInterner();
            }

            @Override
            Object canonical(Object sample) {
                return interner.intern(sample);
            }

            @Override
            public void tearDown() {
                interner = null;
            }
        });
        if (strings) {
            variants.add(new Holding("String.intern", Role.PEER, held, fresh) {
                @Override
                Object canonical(Object sample) {
                    return ((String) sample).intern();
                }
            });
        }
        return variants;
    }

    /** Makes a fresh value per op, canonicalizes it and holds it in a ring of {@code held} slots. */
    abstract static class Holding extends Variant {
        private final int held;
        private final IntFunction<Object> fresh;
        private Object[] hold;
        private int next;

        Holding(String name, Role role, int held, IntFunction<Object> fresh) {
            super(name, role);
            this.held = held;
            this.fresh = fresh;
        }

        abstract Object canonical(Object sample);

        @Override
        public long batch(int ops) {
            if (hold == null) {
                hold = new Object[held];
            }
            long sum = 0;
            for (int op = 0; op < ops; op++) {
                int k = next;
                next = k + 1 == held ? 0 : k + 1;
                Object value = canonical(fresh.apply(k));
                hold[k] = value;
                sum += value.hashCode();
            }
            return sum;
        }

        /** The bytes figure becomes retained heap per value; the allocation figure moves to the extras. */
        @Override
        public Map<String, Double> afterBatches(ScenarioContext context) {
            context.progress(name() + ": measuring retained heap of " + held + " held values");
            Arrays.fill(hold, null);
            long base = context.usedHeapAfterGc();
            for (int k = 0; k < held; k++) {
                hold[k] = canonical(fresh.apply(k));
            }
            long used = context.usedHeapAfterGc();
            long sum = 0;
            for (Object o : hold) {
                sum += o.hashCode();
            }
            io.memkit.bench.report.Sink.publish(sum);
            Map<String, Double> extras = new LinkedHashMap<>();
            extras.put(RETAINED_BYTES, Math.max(0, used - base) / (double) held);
            return extras;
        }

        @Override
        public void tearDown() {
            hold = null;
        }
    }
}
