package io.memkit.pools.internal;

import io.memkit.meter.Instruments;
import io.memkit.meter.internal.StripedCounters;
import io.memkit.pools.BufferPool;
import io.memkit.pools.BufferPoolStats;
import io.memkit.pools.Exhausted;
import io.memkit.pools.LeakDetection;
import io.memkit.pools.LeakReport;
import io.memkit.pools.LeaseInfo;
import io.memkit.pools.PoolExhaustedException;
import io.memkit.pools.PooledBuffer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The {@link BufferPool} implementation: the policy over a {@link MagazineCache} (the hit path), a
 * {@link SizeClassArena} per size class (depot, free list, slabs), a {@link MemoryBudget} (the cap)
 * and a {@link LeakTracker}.
 *
 * <p>An acquire tries, in order: the caller's stripe of the cache; the stripe refilled from the
 * class's depot; the arena's idle blocks; a new block carved from a slab; at the cap, the other
 * stripes' idle blocks; a trim (wholly idle slabs of every class give their bytes back) and a new
 * carve; an idle block of a larger class; then the exhaustion policy. Requests above the pooled
 * limit get dedicated memory of exactly their size. The trim that makes room parks the idle slabs'
 * regions in the budget, where the carve takes them for the class that needs them; they are freed
 * only if no spare region is large enough for the block.
 *
 * <p>Idle decay ({@link IdleDecay}): every half {@code idleTimeout}, the blocks that no acquire took
 * during the last two halves (below the magazines' and free lists' low watermarks, and depot
 * magazines nobody took) are gathered, and the slabs whose blocks are all among them are freed.
 *
 * <p>Counting: the cache counts what it serves per stripe under the guard it holds anyway; every
 * other path counts in one {@link StripedCounters}; {@link #stats()} sums both and clamps the byte
 * counts into what can be true at one instant (see {@link BufferPool#stats()}).
 */
public final class DirectBufferPool implements BufferPool, IdleDecay.Target {

    /** The default largest pooled request: 1 MiB. */
    public static final int DEFAULT_MAX_POOLED_CAPACITY = 1 << 20;
    /** The default wait under {@link Exhausted#WAIT}. */
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = PoolDefaults.BUFFER_ACQUIRE_TIMEOUT;

    private static final System.Logger LOG = System.getLogger("io.memkit.pools");
    private static final VarHandle ARENAS = MethodHandles.arrayElementVarHandle(SizeClassArena[].class);
    private static final MethodHandle TRACK = OutOfLine.method(MethodHandles.lookup(), "track",
            MethodType.methodType(LeakAnchor.class, Block.class, long.class, int.class));
    private static final MethodHandle LEASE_ENDED = OutOfLine.method(MethodHandles.lookup(), "leaseEnded",
            MethodType.methodType(void.class, Block.class, LeaseOwner.class, LeakAnchor.class));

    /** Counters of the paths past the cache, in {@link #cold}. */
    private static final int HITS = 0;
    private static final int MISSES = 1;
    private static final int UNPOOLED = 2;
    private static final int RELEASES = 3;
    private static final int IN_USE = 4;
    private static final int EXHAUSTED = 5;
    private static final int DOUBLE_RELEASES = 6;
    private static final int QUARANTINED = 7;

    private final String name;
    /** Requests in {@code [0, pooledLimit]} use size classes; -1 if none fits maxBytes. */
    private final int pooledLimit;
    private final Exhausted whenExhausted;
    private final long timeoutNanos;
    private final Consumer<LeakReport> leakListener;
    /** The shared pool: close() only trims. */
    private final boolean shared;
    private final LeakTracker tracker;
    /** False under LeakDetection.OFF: the acquire path then skips the tracker entirely. */
    private final boolean tracking;
    /** {@link #track} out of line (see {@link OutOfLine}): the tracked path never bloats acquire. */
    private final MethodHandle trackOutOfLine = TRACK;
    /**
     * {@link #leaseEnded} out of line (see {@link OutOfLine}), so that {@code Lease.close()}
     * compiles to a few instructions of its own: C2 inlines a call site it has never seen run, such
     * as the exceptional exit of a try-with-resources, only if the callee's compiled code is small.
     */
    private final MethodHandle leaseEndedOutOfLine = LEASE_ENDED;
    private final MemoryBudget budget;
    private final MagazineCache cache;
    /** Per size class, made on first use. */
    private final SizeClassArena[] arenas;
    private final StripedCounters cold = new StripedCounters(8);
    private final ReleaseSignal releaseSignal = new ReleaseSignal();
    /** Serializes trim, decay and close. */
    private final ReentrantLock maintenance = new ReentrantLock();
    /**
     * The pool's idle decay, or null if off; set once by {@link #create} after construction
     * (so that the pool does not escape its constructor to the decay thread), and held here
     * because the decay thread holds it only weakly.
     */
    private IdleDecay decay;
    private volatile boolean closed;

    private DirectBufferPool(BufferPoolBuilder b, boolean shared) {
        this.name = b.name != null ? b.name : PoolDefaults.bufferPoolName();
        long maxBytes = b.maxBytes > 0 ? b.maxBytes : DirectMemoryLimit.defaultCap();
        this.pooledLimit = pooledLimit(b.maxPooledCapacity, maxBytes);
        this.whenExhausted = b.whenExhausted;
        this.timeoutNanos = ReleaseSignal.nanos(b.acquireTimeout);
        this.leakListener = b.leakListener;
        this.shared = shared;
        this.tracker = new LeakTracker("BufferPool '" + name + "'", b.leakDetection, this::onLeak);
        this.tracking = b.leakDetection != LeakDetection.OFF;
        int classes = pooledLimit < 0 ? 0 : SizeClasses.classOf(pooledLimit) + 1;
        this.budget = new MemoryBudget(maxBytes);
        this.arenas = new SizeClassArena[classes];
        this.cache = new MagazineCache(classes);
    }

    /**
     * The largest request served from size classes: {@code maxPooledCapacity}, lowered to the
     * largest block that fits {@code maxBytes} (a class whose block exceeds the cap could never be
     * carved, so such requests get dedicated memory of exactly their size).
     */
    static int pooledLimit(int maxPooledCapacity, long maxBytes) {
        int top = SizeClasses.classOf(maxPooledCapacity);
        if (SizeClasses.blockSize(top) <= maxBytes) {
            return maxPooledCapacity;
        }
        for (int c = top - 1; c >= 0; c--) {
            if (SizeClasses.blockSize(c) <= maxBytes) {
                return SizeClasses.blockSize(c);
            }
        }
        return -1;
    }

    /**
     * Builds a pool, then (so that it does not escape its constructor) starts its idle decay and
     * registers it with {@link Instruments} and the pools' periodic JFR event.
     *
     * @param b      the settings
     * @param shared whether it is {@link BufferPool#shared()}, whose close() only trims
     * @return the pool
     */
    static DirectBufferPool create(BufferPoolBuilder b, boolean shared) {
        DirectBufferPool pool = new DirectBufferPool(b, shared);
        pool.decay = IdleDecay.start(pool, b.idleTimeout, b.clock);
        Instruments.register(pool);
        PoolEvents.registerPeriodic();
        return pool;
    }

    // ------------------------------------------------------------------------------------ acquire

    @Override
    public PooledBuffer acquire(int capacity) {
        Block b = capacity >= 0 && capacity <= pooledLimit ? cache.pop(SizeClasses.classOf(capacity)) : null;
        if (b == null) {
            b = acquireSlow(capacity, true);
        }
        long stamp = b.lease();
        // One allocation site for tracked and untracked handles (see LeakAnchor): the handle never
        // reaches the tracker, so escape analysis can still remove it.
        LeakAnchor anchor = tracking && tracker.sample() ? trackOutOfLine(b, stamp, capacity) : null;
        return new Lease(b, stamp, capacity, anchor);
    }

    /**
     * Everything past a cache hit: argument checks, the shared layers, making room, dedicated
     * memory, and the exhaustion policy.
     *
     * <p>Kept in one method on purpose: its bytecode is larger than C2's {@code FreqInlineSize}
     * (325), so it is never inlined into {@link #acquire(int)}, whose compiled code then stays small
     * enough to be inlined into every caller; that is what lets escape analysis remove the lease
     * handle there (a caller cannot inline a method "already compiled into a big method", which
     * acquire became when a busy slow path was inlined into it). {@code BufferPoolInliningTest}
     * guards the sizes.
     *
     * @param capacity the request
     * @param mayWait  false for one attempt that returns null when exhausted (WAIT's retries)
     * @return the block, or null if exhausted and {@code !mayWait}
     */
    private Block acquireSlow(int capacity, boolean mayWait) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        if (capacity > budget.max()) {
            throw new IllegalArgumentException("capacity " + capacity + " exceeds maxBytes " + budget.max()
                    + " of BufferPool '" + name + "'");
        }
        ensureOpen();
        int sizeClass = capacity <= pooledLimit ? SizeClasses.classOf(capacity) : -1;
        Block b;
        if (sizeClass >= 0) {
            SizeClassArena a = arena(sizeClass);
            b = cache.popRefilled(a);
            if (b == null) {
                b = takeOrCarve(a, capacity);
            }
            if (b == null) {
                // At the cap. Other stripes' idle blocks first (not before: stealing one block at a
                // time from the stripe a releasing thread fills would bounce its cache line on every
                // acquire, where the depot moves whole magazines).
                b = cache.popAnyStripe(sizeClass);
            }
            if (b == null) {
                // Make room: idle blocks of this class parked in stripes come back to the free list,
                // and wholly idle slabs of every class are parked for re-carving.
                trimForRoom(SizeClassArena.Sweep.PARK);
                b = takeOrCarve(a, capacity);
                if (b == null) {
                    b = takeLarger(sizeClass);
                }
                if (b == null && budget.freeSpare() > 0) {
                    // No spare region holds even one block of this class: new memory in their place.
                    b = takeOrCarve(a, capacity);
                }
            }
        } else {
            b = reserveDedicated(capacity);
            if (b == null && trimForRoom(SizeClassArena.Sweep.FREE) > 0) {
                b = reserveDedicated(capacity);
            }
        }
        if (b != null || !mayWait) {
            return b;
        }
        String waited = "";
        InterruptedException interrupted = null;
        long waitStart = System.nanoTime();
        if (whenExhausted == Exhausted.WAIT && timeoutNanos > 0) {
            try {
                b = releaseSignal.retryUntil(() -> acquireSlow(capacity, false), timeoutNanos);
            } catch (InterruptedException e) {
                interrupted = e;
            }
            if (b != null) {
                PoolEvents.exhausted(name, "BufferPool", capacity, "WAIT", System.nanoTime() - waitStart, false);
                return b;
            }
            waited = interrupted != null ? " (interrupted while waiting)"
                    : " after waiting " + Duration.ofNanos(timeoutNanos);
        }
        cold.add(EXHAUSTED, 1);
        PoolEvents.exhausted(name, "BufferPool", capacity, whenExhausted.name(), System.nanoTime() - waitStart, true);
        BufferPoolStats s = stats();
        String block = sizeClass >= 0 ? " (block " + SizeClasses.blockSize(sizeClass) + ")" : " (dedicated)";
        PoolExhaustedException ex = new PoolExhaustedException("BufferPool '" + name + "' exhausted" + waited
                + ": cannot acquire " + capacity + " bytes" + block + " within maxBytes " + budget.max()
                + "; in use " + s.bytesInUse() + ", idle " + s.bytesIdle() + ", quarantined " + s.bytesQuarantined()
                + ", live leases " + s.liveLeases());
        if (interrupted != null) {
            Thread.currentThread().interrupt();
            ex.initCause(interrupted);
        }
        throw ex;
    }

    /** The arena's idle blocks, else a new block: counted as a hit or a miss. */
    private Block takeOrCarve(SizeClassArena a, int capacity) {
        Block b = a.takeIdle();
        if (b != null) {
            cold.add(HITS, 1);
        } else {
            try {
                b = a.carve(slabBlocks(a.blockSize));
            } catch (OutOfMemoryError e) {
                throw refused(e, (long) slabBlocks(a.blockSize) * a.blockSize, capacity);
            }
            if (b == null) {
                return null;
            }
            cold.add(MISSES, 1);
        }
        cold.add(IN_USE, b.blockSize);
        return b;
    }

    /**
     * Blocks per new slab: {@link SizeClasses#blocksPerSlab}, but never more than an eighth of
     * {@code maxBytes} (at least one block): under a small cap, one slab that took all the room left
     * would pin it for its class as long as one of its blocks is in use, and every other class would
     * be exhausted with the memory idle.
     */
    private int slabBlocks(int blockSize) {
        return (int) Math.max(1, Math.min(SizeClasses.blocksPerSlab(blockSize), budget.max() / 8 / blockSize));
    }

    /**
     * At the cap, after a trim: an idle block of a larger class (pinned in a slab that is partly in
     * use, so the trim could not free it) serves the request rather than failing it.
     */
    private Block takeLarger(int sizeClass) {
        for (int c = sizeClass + 1; c < arenas.length; c++) {
            SizeClassArena a = arenas[c];
            Block b = a == null ? null : a.takeIdle();
            if (b != null) {
                cold.add(HITS, 1);
                cold.add(IN_USE, b.blockSize);
                return b;
            }
        }
        return null;
    }

    private Block reserveDedicated(int capacity) {
        if (!budget.tryReserve(capacity)) {
            return null;
        }
        Slab s;
        try {
            s = new Slab(budget.allocate(capacity), -1, capacity, 1);
        } catch (OutOfMemoryError e) {
            throw refused(e, capacity, capacity);
        }
        s.carved = 1;
        cold.add(UNPOOLED, 1);
        cold.add(IN_USE, capacity);
        return new Block(this, s, 0);
    }

    /** The JVM refused direct memory the budget allowed (the reservation is already given back). */
    private PoolExhaustedException refused(OutOfMemoryError e, long bytes, int request) {
        cold.add(EXHAUSTED, 1);
        PoolExhaustedException ex = new PoolExhaustedException("BufferPool '" + name + "': cannot acquire "
                + request + " bytes: the JVM refused " + bytes + " bytes of direct memory (raise "
                + "-XX:MaxDirectMemorySize or lower maxBytes " + budget.max() + "): " + e.getMessage());
        ex.initCause(e);
        return ex;
    }

    /**
     * Throws if the pool is closed; the arenas call it under their lock, so that no slab is carved
     * after close has swept them.
     *
     * @throws IllegalStateException if closed
     */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("BufferPool '" + name + "' is closed");
        }
    }

    /**
     * Whether {@link #close()} has started.
     *
     * @return {@code true} once closed
     */
    @Override
    public boolean isClosed() {
        return closed;
    }

    private SizeClassArena arena(int sizeClass) {
        SizeClassArena a = arenas[sizeClass];
        if (a == null) {
            // Plain read is enough: the arena's fields are final, so a racing reader sees them set.
            SizeClassArena made = new SizeClassArena(sizeClass, this, budget);
            a = (SizeClassArena) ARENAS.compareAndExchange(arenas, sizeClass, null, made);
            if (a == null) {
                a = made;
            }
        }
        return a;
    }

    // ------------------------------------------------------------------------------------ release

    /** Called by a lease's last close (or leak handling) after the block's state moved on. */
    void release(Block b) {
        if (b.sizeClass < 0) {
            cold.add(RELEASES, 1);
            cold.add(IN_USE, -b.blockSize);
            budget.free(b.slab);
        } else if (!cache.push(b, arenas[b.sizeClass]) && (closed || !cache.pushOtherStripes(b))) {
            cold.add(RELEASES, 1);
            cold.add(IN_USE, -b.blockSize);
            arenas[b.sizeClass].giveBack(b);
        }
        releaseSignal.signal();
    }

    /**
     * The last owner of a lease closed: ends its Slice owner, stops tracking and takes the block back.
     *
     * @param b      the block, whose state has already moved to the next generation
     * @param owner  the lease's Slice owner, or null
     * @param anchor the lease's leak anchor, or null
     */
    void leaseEndedOutOfLine(Block b, LeaseOwner owner, LeakAnchor anchor) {
        try {
            leaseEndedOutOfLine.invokeExact(this, b, owner, anchor);
        } catch (Throwable e) {
            throw OutOfLine.rethrow(e);
        }
    }

    private void leaseEnded(Block b, LeaseOwner owner, LeakAnchor anchor) {
        if (owner != null) {
            owner.end();
        }
        if (anchor != null) {
            tracker.untrack(anchor.tracked);
        }
        release(b);
    }

    /**
     * Counts a close of a released lease and makes its exception.
     *
     * @param capacity the lease's capacity
     * @return the exception to throw
     */
    IllegalStateException doubleRelease(int capacity) {
        cold.add(DOUBLE_RELEASES, 1);
        return Lease.released("close", capacity, this);
    }

    // ------------------------------------------------------------------------------------ leaks

    private LeakAnchor trackOutOfLine(Block b, long stamp, int capacity) {
        try {
            return (LeakAnchor) trackOutOfLine.invokeExact(this, b, stamp, capacity);
        } catch (Throwable e) {
            throw OutOfLine.rethrow(e);
        }
    }

    private LeakAnchor track(Block b, long stamp, int capacity) {
        LeakAnchor anchor = new LeakAnchor(new LeakAnchor.Record(b, stamp, capacity));
        anchor.tracked = tracker.track(anchor, anchor.record, capacity);
        return anchor;
    }

    /** A tracked lease was collected unclosed: reclaim its block if no raw view escaped, else quarantine. */
    private void onLeak(LeakTracker.Tracked leaked) {
        LeakAnchor.Record r = (LeakAnchor.Record) leaked.state();
        Block b = r.block;
        if (!b.forceEnd(r.stamp)) {
            return;
        }
        boolean reclaim = !r.rawEscaped;
        if (reclaim) {
            release(b);
        } else {
            cold.add(QUARANTINED, b.blockSize);
            cold.add(IN_USE, -b.blockSize);
            cold.add(RELEASES, 1);
        }
        PoolEvents.leakDetected(name, "BufferPool", r.capacity, leaked.threadName(), leaked.acquiredAt(), reclaim);
        if (leakListener != null) {
            try {
                leakListener.accept(new LeakReport(name, r.capacity, leaked.acquiredAt(), reclaim));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "leak listener of BufferPool '" + name + "' failed", e);
            }
        }
    }

    @Override
    public List<LeaseInfo> outstanding() {
        return tracker.leaseInfos();
    }

    // ------------------------------------------------------------------------------------ trim, close

    @Override
    public long trim() {
        tracker.expunge();
        return trimForRoom(SizeClassArena.Sweep.FREE);
    }

    /**
     * Drops wholly idle slabs, parking or freeing them (freeing also frees the spare regions).
     *
     * @return bytes of the slabs and spares dropped
     */
    private long trimForRoom(SizeClassArena.Sweep mode) {
        maintenance.lock();
        try {
            long dropped = sweep(mode);
            return mode == SizeClassArena.Sweep.PARK ? dropped : dropped + budget.freeSpare();
        } finally {
            maintenance.unlock();
        }
    }

    /**
     * One idle decay step (see the class comment); skipped if a trim or close holds the
     * maintenance lock.
     */
    @Override
    public void decayStep() {
        if (!maintenance.tryLock()) {
            return;
        }
        try {
            if (closed) {
                return;
            }
            List<List<Block>> cold = perClass();
            cache.takeColdTo(cold);
            for (int c = 0; c < arenas.length; c++) {
                SizeClassArena a = arenas[c];
                if (a != null) {
                    a.decay(cold.get(c));
                }
            }
            budget.freeSpare();
        } finally {
            maintenance.unlock();
        }
    }

    /**
     * The pool's idle decay; for tests, which drive it with their clock.
     *
     * @return the decay, or null if off
     */
    IdleDecay decay() {
        return decay;
    }

    private List<List<Block>> perClass() {
        List<List<Block>> lists = new ArrayList<>(arenas.length);
        for (int c = 0; c < arenas.length; c++) {
            lists.add(new ArrayList<>());
        }
        return lists;
    }

    @Override
    public void close() {
        if (shared) {
            trim();
            return;
        }
        maintenance.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            cache.close();
            tracker.expunge();
            sweep(SizeClassArena.Sweep.CLOSE);
            budget.freeSpare();
        } finally {
            maintenance.unlock();
        }
        releaseSignal.signal();
        Instruments.unregister(this);
    }

    /**
     * Under the maintenance lock: drains the cache and sweeps every arena.
     *
     * @return bytes of the slabs dropped
     */
    private long sweep(SizeClassArena.Sweep mode) {
        List<List<Block>> idle = perClass();
        cache.drainTo(idle);
        long freed = 0;
        for (int c = 0; c < arenas.length; c++) {
            SizeClassArena a = arenas[c];
            if (a != null) {
                freed += a.sweep(idle.get(c), mode);
            }
        }
        return freed;
    }

    // ------------------------------------------------------------------------------------ stats

    @Override
    public BufferPoolStats stats() {
        tracker.expunge();
        long[] hot = new long[3];
        cache.addCountsTo(hot);
        long hits = hot[0] + cold.sum(HITS);
        long releases = hot[1] + cold.sum(RELEASES);
        long inUse = hot[2] + cold.sum(IN_USE);
        long missCount = cold.sum(MISSES);
        long unpooledCount = cold.sum(UNPOOLED);
        long acquires = hits + missCount + unpooledCount;
        long reservedNow = budget.reserved();
        // The byte counts are read one after another while leases come and go (a lease taken on
        // one stripe and returned on another between the reads makes the raw sum negative), so
        // they are clamped into what can be true at one instant: 0 <= inUse <= reserved and
        // inUse + idle + quarantined == reserved <= maxBytes.
        inUse = Math.min(Math.max(0, inUse), reservedNow);
        long quarantinedNow = Math.min(cold.sum(QUARANTINED), reservedNow - inUse);
        long idle = reservedNow - inUse - quarantinedNow;
        return new BufferPoolStats(acquires, releases, hits, missCount, unpooledCount, inUse, idle, reservedNow,
                Math.max(budget.peak(), reservedNow), cold.sum(EXHAUSTED), tracker.leaks(),
                cold.sum(DOUBLE_RELEASES), Math.max(0, acquires - releases));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "BufferPool";
    }

    /**
     * The cap on direct memory; for tests and diagnostics (the default is computed at build time).
     *
     * @return maxBytes
     */
    public long maxBytes() {
        return budget.max();
    }

    @Override
    public String toString() {
        return "BufferPool '" + name + "' " + stats();
    }
}
