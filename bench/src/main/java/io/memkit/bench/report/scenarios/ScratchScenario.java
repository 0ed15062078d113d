package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.Sink;
import io.memkit.bench.report.Variant;
import io.memkit.bench.report.VariantScenario;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.ObjectPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import stormpot.Allocator;
import stormpot.Pool;
import stormpot.Pooled;
import stormpot.Slot;
import stormpot.Timeout;

/**
 * Scratch objects: each call formats a line into a {@code StringBuilder(256)}, either a new one
 * per call or one borrowed from a pool. The new one is kept by {@link Sink}, as a builder a
 * program hands on would be; a second naive row lets it die at once, where the JIT's escape
 * analysis may remove the allocation, which is where pooling does not pay.
 */
public final class ScratchScenario extends VariantScenario {
    /** Capacity of each scratch builder. */
    public static final int CAPACITY = 256;

    @Override
    public String id() {
        return "scratch";
    }

    @Override
    public String title() {
        return "Scratch objects (StringBuilder)";
    }

    @Override
    public String description() {
        return "Format one log line into a StringBuilder(" + CAPACITY + ") scratch object: new per call (kept, so the JIT "
                + "cannot scalar-replace it) vs borrowed from memkit's ObjectPool, commons-pool2 GenericObjectPool or Stormpot 3.2. The reference "
                + "row lets the new builder die at once: where escape analysis removes it, pooling does not pay. "
                + "One op is one formatted line.";
    }

    @Override
    public String unit() {
        return "call";
    }

    /** The work on the scratch builder, the same for every variant. */
    static long format(StringBuilder sb, int i) {
        sb.append("order ").append(i).append(" for customer ").append(i & 1023).append(": ")
                .append(1999L * (i & 255)).append(" cents, status ").append((i & 1) == 0 ? "PAID" : "OPEN");
        return sb.length() + sb.charAt(sb.length() >> 1);
    }

    @Override
    protected List<Variant> variants(ScenarioContext context) {
        List<Variant> variants = new ArrayList<>();
        variants.add(new NewKept());
        // OFF before SAMPLED, for the reason given in PoolScenario.variants.
        variants.add(new MemkitPool(LeakDetection.OFF));
        variants.add(new MemkitPool(LeakDetection.SAMPLED));
        variants.add(new CommonsPool());
        variants.add(new StormpotPool());
        variants.add(new NewDropped());
        return variants;
    }

    /** Naive: a new builder per call, kept. */
    static final class NewKept extends Variant {
        NewKept() {
            super("new StringBuilder per call", Role.NAIVE);
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int i = 0; i < ops; i++) {
                StringBuilder sb = new StringBuilder(CAPACITY);
                sum += format(sb, i);
                Sink.keep(sb);
            }
            return sum;
        }
    }

    /** Reference: a new builder per call that dies at once (escape analysis may remove it). */
    static final class NewDropped extends Variant {
        NewDropped() {
            super("new StringBuilder, not kept", Role.REFERENCE);
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int i = 0; i < ops; i++) {
                StringBuilder sb = new StringBuilder(CAPACITY);
                sum += format(sb, i);
            }
            return sum;
        }
    }

    /** memkit: ObjectPool with a reset hook, at a leak detection level (SAMPLED is the default). */
    static final class MemkitPool extends Variant {
        private final LeakDetection level;
        private ObjectPool<StringBuilder> pool;

        MemkitPool(LeakDetection level) {
            super(level == LeakDetection.SAMPLED ? "memkit ObjectPool" : "memkit ObjectPool, leak detection " + level,
                    Role.MEMKIT);
            this.level = level;
        }

        @Override
        public void setUp() {
            pool = ObjectPool.builder(() -> new StringBuilder(CAPACITY)).name("report-scratch-" + level)
                    .reset(sb -> sb.setLength(0)).leakDetection(level).build();
        }

        @Override
        public long batch(int ops) {
            long sum = 0;
            for (int i = 0; i < ops; i++) {
                try (io.memkit.pools.Pooled<StringBuilder> p = pool.acquire()) {
                    sum += format(p.get(), i);
                }
            }
            return sum;
        }

        @Override
        public void tearDown() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** commons-pool2 2.x: borrowObject / returnObject, reset in passivateObject. */
    static final class CommonsPool extends Variant {
        private GenericObjectPool<StringBuilder> pool;

        CommonsPool() {
            super("commons-pool2 GenericObjectPool", Role.PEER);
        }

        @Override
        public void setUp() {
            GenericObjectPoolConfig<StringBuilder> config = new GenericObjectPoolConfig<>();
            config.setMaxTotal(8);
            config.setJmxEnabled(false);
            pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
                @Override
                public StringBuilder create() {
                    return new StringBuilder(CAPACITY);
                }

                @Override
                public PooledObject<StringBuilder> wrap(StringBuilder sb) {
                    return new DefaultPooledObject<>(sb);
                }

                @Override
                public void passivateObject(PooledObject<StringBuilder> p) {
                    p.getObject().setLength(0);
                }
            }, config);
        }

        @Override
        public long batch(int ops) throws Exception {
            long sum = 0;
            for (int i = 0; i < ops; i++) {
                StringBuilder sb = pool.borrowObject();
                try {
                    sum += format(sb, i);
                } finally {
                    pool.returnObject(sb);
                }
            }
            return sum;
        }

        @Override
        public void tearDown() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** Stormpot 3.2 (4.x needs Java 21): claim / release of a {@code Pooled<StringBuilder>}, reset after claim. */
    static final class StormpotPool extends Variant {
        private static final Timeout TIMEOUT = new Timeout(10, TimeUnit.SECONDS);
        private Pool<Pooled<StringBuilder>> pool;

        StormpotPool() {
            super("Stormpot 3.2", Role.PEER);
        }

        @Override
        public void setUp() {
            pool = Pool.fromInline(new Allocator<Pooled<StringBuilder>>() {
                @Override
                public Pooled<StringBuilder> allocate(Slot slot) {
                    return new Pooled<>(slot, new StringBuilder(CAPACITY));
                }

                @Override
                public void deallocate(Pooled<StringBuilder> poolable) {
                }
            }).setSize(8).build();
        }

        @Override
        public long batch(int ops) throws Exception {
            long sum = 0;
            for (int i = 0; i < ops; i++) {
                Pooled<StringBuilder> p = pool.claim(TIMEOUT);
                try {
                    StringBuilder sb = p.object;
                    sb.setLength(0);
                    sum += format(sb, i);
                } finally {
                    p.release();
                }
            }
            return sum;
        }

        @Override
        public void tearDown() throws Exception {
            if (pool != null) {
                pool.shutdown().await(TIMEOUT);
            }
        }
    }
}
