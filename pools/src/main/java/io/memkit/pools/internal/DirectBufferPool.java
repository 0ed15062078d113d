package io.memkit.pools.internal;

import io.memkit.meter.Instruments;
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
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The {@link BufferPool} implementation: striped magazines over per-class depots and slabs.
 *
 * <p>Layers, fastest first: the caller's {@link Stripe} (a magazine per size class under one CAS
 * guard: the hit path), the class's depot of full magazines (lock-free), the class's
 * {@link SizeClassArena} (free list and slab carving under a lock), then making room by trimming
 * idle slabs of all classes, then the exhaustion policy.
 *
 * <p>Accounting: {@code reserved} (slabs and dedicated buffers the pool holds) changes only on cold
 * paths; bytes in use and the hit/release counts live in the stripes (hot) and in atomic counters
 * (cold paths); quarantined bytes are blocks of leaked leases whose raw view escaped.
 */
public final class DirectBufferPool implements BufferPool {

    /** The default cap on direct memory: 256 MiB. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;
    /** The default largest pooled request: 1 MiB. */
    public static final int DEFAULT_MAX_POOLED_CAPACITY = 1 << 20;
    /** The default wait under {@link Exhausted#WAIT}. */
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(1);

    private static final System.Logger LOG = System.getLogger("io.memkit.pools");
    private static final AtomicInteger POOL_IDS = new AtomicInteger();
    private static final VarHandle ARENAS = MethodHandles.arrayElementVarHandle(SizeClassArena[].class);
    private static final MethodHandle TRACK;
    private static final MethodHandle LEASE_ENDED;

    static {
        try {
            TRACK = MethodHandles.lookup().findVirtual(DirectBufferPool.class, "track",
                    MethodType.methodType(LeakAnchor.class, Block.class, long.class, int.class));
            LEASE_ENDED = MethodHandles.lookup().findVirtual(DirectBufferPool.class, "leaseEnded",
                    MethodType.methodType(void.class, Block.class, LeaseOwner.class, LeakAnchor.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final long maxBytes;
    private final int maxPooledCapacity;
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
    /**
     * {@link #track} as a handle in an instance field, which C2 does not treat as a constant, so
     * it cannot inline the call: the tracked path (stack capture, tracker set) never bloats the
     * compiled acquire (see {@link #acquireSlow}). One indirect call per tracked acquire.
     */
    private final MethodHandle trackOutOfLine = TRACK;
    /**
     * {@link #leaseEnded} behind a handle C2 cannot inline (as {@link #trackOutOfLine}), so that
     * {@code Lease.close()} compiles to a few instructions of its own. C2 inlines a call site it has
     * never seen run, such as the exceptional exit of a try-with-resources, only if the callee's
     * own compiled code is small (under {@code InlineSmallCode / 4}); otherwise the handle is the
     * receiver of a real call there and escapes (JDK 17 to 21). One indirect call per release.
     */
    private final MethodHandle leaseEndedOutOfLine = LEASE_ENDED;
    private final Stripe[] stripes;
    /** Per size class, made on first use. */
    private final SizeClassArena[] arenas;
    private final ReleaseSignal releaseSignal = new ReleaseSignal();
    /** Serializes trim and close. */
    private final ReentrantLock maintenance = new ReentrantLock();
    private volatile boolean closed;

    private final AtomicLong reserved = new AtomicLong();
    private final AtomicLong peakReserved = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong coldHits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong unpooled = new AtomicLong();
    private final AtomicLong coldReleases = new AtomicLong();
    private final AtomicLong coldInUse = new AtomicLong();
    private final AtomicLong exhaustedCount = new AtomicLong();
    private final AtomicLong doubleReleases = new AtomicLong();

    private DirectBufferPool(Builder b, boolean shared) {
        this.name = b.name != null ? b.name : "BufferPool-" + POOL_IDS.incrementAndGet();
        this.maxBytes = b.maxBytes;
        this.maxPooledCapacity = b.maxPooledCapacity;
        this.pooledLimit = pooledLimit(b.maxPooledCapacity, b.maxBytes);
        this.whenExhausted = b.whenExhausted;
        this.timeoutNanos = ReleaseSignal.nanos(b.acquireTimeout);
        this.leakListener = b.leakListener;
        this.shared = shared;
        this.tracker = new LeakTracker("BufferPool '" + name + "'", b.leakDetection, this::onLeak);
        this.tracking = b.leakDetection != LeakDetection.OFF;
        int classes = pooledLimit < 0 ? 0 : SizeClasses.classOf(pooledLimit) + 1;
        this.arenas = new SizeClassArena[classes];
        this.stripes = new Stripe[Stripes.COUNT];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Stripe(classes);
        }
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

    static DirectBufferPool createShared(Builder b) {
        DirectBufferPool pool = new DirectBufferPool(b, true);
        Instruments.register(pool);
        return pool;
    }

    // ------------------------------------------------------------------------------------ acquire

    @Override
    public PooledBuffer acquire(int capacity) {
        Block b = capacity >= 0 && capacity <= pooledLimit ? popCached(SizeClasses.classOf(capacity)) : null;
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
     * The hit path: a block from the caller's stripe, or null (empty, guard busy, or closed). Refills
     * from the depot happen in {@link #acquireSlow}, so that this method, inlined into
     * {@link #acquire(int)}, stays small (see acquireSlow).
     */
    private Block popCached(int sizeClass) {
        Stripe s = stripes[Stripes.current()];
        if (!s.tryLock()) {
            return null;
        }
        Block b = null;
        Magazine m = s.magazines[sizeClass];
        int n;
        if (m != null && (n = m.count) > 0 && !closed) {
            b = m.blocks[--n];
            m.count = n;
            s.hits++;
            s.inUseBytes += b.blockSize;
        }
        s.unlock();
        return b;
    }

    /** The caller's stripe again, refilled from the depot when its magazine is empty. */
    private Block popRefilled(int sizeClass) {
        Stripe s = stripes[Stripes.current()];
        if (!s.tryLock()) {
            return null;
        }
        Block b = null;
        Magazine m = s.magazines[sizeClass];
        if (m != null && !closed) {
            int n = m.count;
            if (n == 0) {
                n = refill(m, sizeClass);
            }
            if (n > 0) {
                b = m.blocks[--n];
                m.count = n;
                s.hits++;
                s.inUseBytes += b.blockSize;
            }
        }
        s.unlock();
        return b;
    }

    /** Under the stripe's guard: moves a full magazine from the depot into an empty one. */
    private int refill(Magazine m, int sizeClass) {
        SizeClassArena a = arenas[sizeClass];
        Block[] full = a == null ? null : a.depot.poll();
        if (full == null) {
            return 0;
        }
        int n = full.length;
        System.arraycopy(full, 0, m.blocks, 0, n);
        Arrays.fill(full, null);
        a.empties.offer(full);
        m.count = n;
        return n;
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
        if (capacity > maxBytes) {
            throw new IllegalArgumentException("capacity " + capacity + " exceeds maxBytes " + maxBytes
                    + " of BufferPool '" + name + "'");
        }
        ensureOpen();
        int sizeClass = capacity <= pooledLimit ? SizeClasses.classOf(capacity) : -1;
        Block b;
        if (sizeClass >= 0) {
            SizeClassArena a = arena(sizeClass);
            b = popRefilled(sizeClass);
            if (b == null) {
                b = takeOrCarve(a);
            }
            if (b == null) {
                // At the cap. Other stripes' idle blocks first (not before: stealing one block at a
                // time from the stripe a releasing thread fills would bounce its cache line on every
                // acquire, where the depot moves whole magazines).
                b = popAnyStripe(sizeClass);
            }
            if (b == null) {
                // Make room: idle blocks of this class parked in stripes come back to the free list,
                // and wholly idle slabs of every class give their bytes back to the budget.
                trimForRoom();
                b = takeOrCarve(a);
                if (b == null) {
                    b = takeLarger(sizeClass);
                }
            }
        } else {
            b = reserveDedicated(capacity);
            if (b == null && trimForRoom() > 0) {
                b = reserveDedicated(capacity);
            }
        }
        if (b != null || !mayWait) {
            return b;
        }
        String waited = "";
        InterruptedException interrupted = null;
        if (whenExhausted == Exhausted.WAIT && timeoutNanos > 0) {
            try {
                b = releaseSignal.retryUntil(() -> acquireSlow(capacity, false), timeoutNanos);
            } catch (InterruptedException e) {
                interrupted = e;
            }
            if (b != null) {
                return b;
            }
            waited = interrupted != null ? " (interrupted while waiting)"
                    : " after waiting " + Duration.ofNanos(timeoutNanos);
        }
        exhaustedCount.incrementAndGet();
        BufferPoolStats s = stats();
        String block = sizeClass >= 0 ? " (block " + SizeClasses.blockSize(sizeClass) + ")" : " (dedicated)";
        PoolExhaustedException ex = new PoolExhaustedException("BufferPool '" + name + "' exhausted" + waited
                + ": cannot acquire " + capacity + " bytes" + block + " within maxBytes " + maxBytes + "; in use "
                + s.bytesInUse() + ", idle " + s.bytesIdle() + ", quarantined " + s.bytesQuarantined()
                + ", live leases " + s.liveLeases());
        if (interrupted != null) {
            Thread.currentThread().interrupt();
            ex.initCause(interrupted);
        }
        throw ex;
    }

    /**
     * At the cap, after a trim: an idle block of a larger class (pinned in a slab that is partly in
     * use, so the trim could not free it) serves the request rather than failing it.
     */
    private Block takeLarger(int sizeClass) {
        for (int c = sizeClass + 1; c < arenas.length; c++) {
            SizeClassArena a = arenas[c];
            if (a == null) {
                continue;
            }
            a.lock.lock();
            try {
                ensureOpen();
                Block b = a.free.pollLast();
                if (b != null) {
                    coldHits.incrementAndGet();
                    coldInUse.addAndGet(b.blockSize);
                    return b;
                }
            } finally {
                a.lock.unlock();
            }
        }
        return null;
    }

    /** Tries every stripe once, the caller's first (tryLock only): idle memory before new memory. */
    private Block popAnyStripe(int sizeClass) {
        int mine = Stripes.current();
        for (int i = 0; i < stripes.length; i++) {
            Stripe s = stripes[(mine + i) & (stripes.length - 1)];
            Magazine m = s.magazines[sizeClass];
            if (m == null || m.count == 0 || !s.tryLock()) {
                continue;
            }
            Block b = null;
            if (m.count > 0 && !closed) {
                b = m.blocks[--m.count];
                s.hits++;
                s.inUseBytes += b.blockSize;
            }
            s.unlock();
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    private Block takeOrCarve(SizeClassArena a) {
        a.lock.lock();
        try {
            ensureOpen();
            Block b = a.free.pollLast();
            if (b != null) {
                coldHits.incrementAndGet();
            } else {
                Block[] full = a.depot.poll();
                if (full != null) {
                    for (int i = 1; i < full.length; i++) {
                        a.free.addLast(full[i]);
                    }
                    b = full[0];
                    Arrays.fill(full, null);
                    a.empties.offer(full);
                    coldHits.incrementAndGet();
                } else {
                    b = carve(a);
                    if (b == null) {
                        return null;
                    }
                    misses.incrementAndGet();
                }
            }
            coldInUse.addAndGet(b.blockSize);
            return b;
        } finally {
            a.lock.unlock();
        }
    }

    /** Under the arena's lock: a new block from the current slab or a new slab, or null. */
    private Block carve(SizeClassArena a) {
        Slab s = a.current;
        if (s == null || s.carved == s.blockCount) {
            s = newSlab(a);
            if (s == null) {
                return null;
            }
            a.current = s;
            a.slabs.add(s);
        }
        Block b = new Block(this, s, s.carved * a.blockSize);
        s.carved++;
        return b;
    }

    /**
     * A new slab of up to {@link SizeClasses#blocksPerSlab} blocks, as many as the budget allows,
     * and never more than an eighth of {@code maxBytes} (but at least one block): under a small cap,
     * one slab that took all the room left would pin it for its class as long as one of its blocks
     * is in use, and every other class would be exhausted with the memory idle.
     */
    private Slab newSlab(SizeClassArena a) {
        int want = (int) Math.max(1, Math.min(SizeClasses.blocksPerSlab(a.blockSize), maxBytes / 8 / a.blockSize));
        for (;;) {
            long r = reserved.get();
            long room = (maxBytes - r) / a.blockSize;
            if (room < 1) {
                return null;
            }
            int blocks = (int) Math.min(want, room);
            long bytes = (long) blocks * a.blockSize;
            if (reserved.compareAndSet(r, r + bytes)) {
                notePeak(r + bytes);
                return new Slab(allocate(bytes, a.blockSize), a.sizeClass, a.blockSize, blocks);
            }
        }
    }

    private Block reserveDedicated(int capacity) {
        if (!reserve(capacity)) {
            return null;
        }
        Slab s = new Slab(allocate(capacity, capacity), -1, capacity, 1);
        s.carved = 1;
        unpooled.incrementAndGet();
        coldInUse.addAndGet(capacity);
        return new Block(this, s, 0);
    }

    /** Reserves bytes within maxBytes. */
    private boolean reserve(long bytes) {
        for (;;) {
            long r = reserved.get();
            if (r + bytes > maxBytes) {
                return false;
            }
            if (reserved.compareAndSet(r, r + bytes)) {
                notePeak(r + bytes);
                return true;
            }
        }
    }

    private void notePeak(long value) {
        long p;
        while ((p = peakReserved.get()) < value && !peakReserved.compareAndSet(p, value)) {
            Thread.onSpinWait();
        }
    }

    /** allocateDirect of reserved bytes; gives them back and fails the acquire if the JVM refuses. */
    private ByteBuffer allocate(long bytes, int request) {
        try {
            return ByteBuffer.allocateDirect((int) bytes);
        } catch (OutOfMemoryError e) {
            reserved.addAndGet(-bytes);
            exhaustedCount.incrementAndGet();
            PoolExhaustedException ex = new PoolExhaustedException("BufferPool '" + name + "': cannot acquire "
                    + request + " bytes: the JVM refused " + bytes + " bytes of direct memory (raise "
                    + "-XX:MaxDirectMemorySize or lower maxBytes " + maxBytes + "): " + e.getMessage());
            ex.initCause(e);
            throw ex;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("BufferPool '" + name + "' is closed");
        }
    }

    private SizeClassArena arena(int sizeClass) {
        SizeClassArena a = arenas[sizeClass];
        if (a == null) {
            // Plain read is enough: the arena's fields are final, so a racing reader sees them set.
            SizeClassArena made = new SizeClassArena(sizeClass);
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
            releaseDedicated(b);
        } else if (!pushCached(b)) {
            releaseSlow(b);
        }
        releaseSignal.signal();
    }

    /** The fast release: into the caller's stripe. False if its guard is busy or the pool closed. */
    private boolean pushCached(Block b) {
        Stripe s = stripes[Stripes.current()];
        if (!s.tryLock()) {
            return false;
        }
        if (closed) {
            s.unlock();
            return false;
        }
        int sizeClass = b.sizeClass;
        Magazine m = s.magazines[sizeClass];
        if (m == null) {
            m = newMagazine(s, sizeClass);
        }
        Block[] spilled = null;
        int n = m.count;
        if (n == m.blocks.length) {
            spilled = spill(m, sizeClass);
            n = m.count;
        }
        m.blocks[n] = b;
        m.count = n + 1;
        s.releases++;
        s.inUseBytes -= b.blockSize;
        s.unlock();
        if (spilled != null) {
            takeBack(arenas[sizeClass], spilled);
        }
        return true;
    }

    private Magazine newMagazine(Stripe s, int sizeClass) {
        Magazine m = new Magazine(SizeClasses.magazineHalf(SizeClasses.blockSize(sizeClass)));
        s.magazines[sizeClass] = m;
        return m;
    }

    /**
     * Under the stripe's guard: moves the top half of a full magazine to the depot.
     *
     * @return the moved blocks if the depot was full (the caller puts them in the arena after
     *         giving the guard back), else null
     */
    private Block[] spill(Magazine m, int sizeClass) {
        SizeClassArena a = arena(sizeClass);
        int half = m.half;
        int n = m.count;
        Block[] out = a.empties.poll();
        if (out == null) {
            out = new Block[half];
        }
        System.arraycopy(m.blocks, n - half, out, 0, half);
        Arrays.fill(m.blocks, n - half, n, null);
        m.count = n - half;
        return a.depot.offer(out) ? null : out;
    }

    /** Idle blocks that fit no magazine nor the depot go to the arena's free list. */
    private void takeBack(SizeClassArena a, Block[] blocks) {
        a.lock.lock();
        try {
            for (Block b : blocks) {
                if (closed) {
                    dropAfterClose(b);
                } else {
                    a.free.addLast(b);
                }
            }
        } finally {
            a.lock.unlock();
        }
        Arrays.fill(blocks, null);
        a.empties.offer(blocks);
    }

    private void releaseSlow(Block b) {
        if (!closed && pushOtherStripes(b)) {
            return;
        }
        SizeClassArena a = arenas[b.sizeClass];
        a.lock.lock();
        try {
            coldReleases.incrementAndGet();
            coldInUse.addAndGet(-b.blockSize);
            if (closed) {
                dropAfterClose(b);
            } else {
                a.free.addLast(b);
            }
        } finally {
            a.lock.unlock();
        }
    }

    private boolean pushOtherStripes(Block b) {
        int mine = Stripes.current();
        for (int i = 1; i < stripes.length; i++) {
            Stripe s = stripes[(mine + i) & (stripes.length - 1)];
            Magazine m = s.magazines[b.sizeClass];
            if (m == null || m.count == m.blocks.length || !s.tryLock()) {
                continue;
            }
            boolean done = false;
            if (!closed && m.count < m.blocks.length) {
                m.blocks[m.count++] = b;
                s.releases++;
                s.inUseBytes -= b.blockSize;
                done = true;
            }
            s.unlock();
            if (done) {
                return true;
            }
        }
        return false;
    }

    private void releaseDedicated(Block b) {
        coldReleases.incrementAndGet();
        coldInUse.addAndGet(-b.blockSize);
        reserved.addAndGet(-b.slab.bytes);
    }

    /** A block came back after close: its slab is dropped once all its blocks are back. */
    private void dropAfterClose(Block b) {
        if (b.slab.closeBalance.decrementAndGet() == 0) {
            reserved.addAndGet(-b.slab.bytes);
        }
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
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
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
        doubleReleases.incrementAndGet();
        return Lease.released("close", capacity, this);
    }

    // ------------------------------------------------------------------------------------ leaks

    private LeakAnchor trackOutOfLine(Block b, long stamp, int capacity) {
        try {
            return (LeakAnchor) trackOutOfLine.invokeExact(this, b, stamp, capacity);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
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
            quarantined.addAndGet(b.blockSize);
            coldInUse.addAndGet(-b.blockSize);
            coldReleases.incrementAndGet();
        }
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
        List<LeakTracker.Tracked> live = tracker.outstanding();
        List<LeaseInfo> out = new ArrayList<>(live.size());
        for (LeakTracker.Tracked t : live) {
            out.add(new LeaseInfo(t.size(), t.age(), t.threadName(), t.acquiredAt()));
        }
        return Collections.unmodifiableList(out);
    }

    // ------------------------------------------------------------------------------------ trim, close

    @Override
    public long trim() {
        tracker.expunge();
        return trimForRoom();
    }

    private long trimForRoom() {
        maintenance.lock();
        try {
            return sweep(false);
        } finally {
            maintenance.unlock();
        }
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
            tracker.expunge();
            sweep(true);
        } finally {
            maintenance.unlock();
        }
        releaseSignal.signal();
        Instruments.unregister(this);
    }

    /**
     * Under the maintenance lock: takes every idle block out of the stripes, depots and free lists,
     * and drops the slabs whose carved blocks are all idle. Blocks of other slabs go back to the free
     * lists, or, when closing, are dropped and their slabs dropped once their last lease returns.
     * Blocks in transit between layers are not seen, which only keeps their slab: never unsafe.
     *
     * @return bytes given back from the budget
     */
    private long sweep(boolean closing) {
        int classes = arenas.length;
        List<List<Block>> idle = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            idle.add(null);
        }
        for (Stripe s : stripes) {
            s.lock();
            try {
                for (int c = 0; c < classes; c++) {
                    Magazine m = s.magazines[c];
                    if (m == null || m.count == 0) {
                        continue;
                    }
                    List<Block> list = listOf(idle, c);
                    for (int i = 0; i < m.count; i++) {
                        list.add(m.blocks[i]);
                    }
                    Arrays.fill(m.blocks, null);
                    m.count = 0;
                }
            } finally {
                s.unlock();
            }
        }
        long freed = 0;
        for (int c = 0; c < classes; c++) {
            SizeClassArena a = arenas[c];
            if (a != null) {
                freed += sweep(a, listOf(idle, c), closing);
            }
        }
        return freed;
    }

    private static List<Block> listOf(List<List<Block>> idle, int c) {
        List<Block> list = idle.get(c);
        if (list == null) {
            list = new ArrayList<>();
            idle.set(c, list);
        }
        return list;
    }

    private long sweep(SizeClassArena a, List<Block> idle, boolean closing) {
        for (Block[] full; (full = a.depot.poll()) != null; ) {
            idle.addAll(Arrays.asList(full));
            Arrays.fill(full, null);
            a.empties.offer(full);
        }
        long freed = 0;
        a.lock.lock();
        try {
            idle.addAll(a.free);
            a.free.clear();
            for (Block b : idle) {
                b.slab.idleMark++;
            }
            for (int i = a.slabs.size() - 1; i >= 0; i--) {
                Slab s = a.slabs.get(i);
                boolean allIdle = s.idleMark == s.carved;
                if (allIdle || closing) {
                    a.slabs.remove(i);
                    if (a.current == s) {
                        a.current = null;
                    }
                }
                if (allIdle) {
                    reserved.addAndGet(-s.bytes);
                    freed += s.bytes;
                } else if (closing && s.closeBalance.addAndGet(s.carved - s.idleMark) == 0) {
                    // Every lease out at close has returned already.
                    reserved.addAndGet(-s.bytes);
                    freed += s.bytes;
                }
            }
            for (Block b : idle) {
                Slab s = b.slab;
                if (!closing && s.idleMark != s.carved) {
                    a.free.addLast(b);
                }
            }
            for (Block b : idle) {
                b.slab.idleMark = 0;
            }
        } finally {
            a.lock.unlock();
        }
        return freed;
    }

    // ------------------------------------------------------------------------------------ stats

    @Override
    public BufferPoolStats stats() {
        tracker.expunge();
        long hits = coldHits.get();
        long releases = coldReleases.get();
        long inUse = coldInUse.get();
        for (Stripe s : stripes) {
            s.lock();
            try {
                hits += s.hits;
                releases += s.releases;
                inUse += s.inUseBytes;
            } finally {
                s.unlock();
            }
        }
        long missCount = misses.get();
        long unpooledCount = unpooled.get();
        long acquires = hits + missCount + unpooledCount;
        long reservedNow = reserved.get();
        // The byte counts are read one after another while leases come and go (a lease taken on
        // one stripe and returned on another between the reads makes the raw sum negative), so
        // they are clamped into what can be true at one instant: 0 <= inUse <= reserved and
        // inUse + idle + quarantined == reserved <= maxBytes.
        inUse = Math.min(Math.max(0, inUse), reservedNow);
        long quarantinedNow = Math.min(quarantined.get(), reservedNow - inUse);
        long idle = reservedNow - inUse - quarantinedNow;
        return new BufferPoolStats(acquires, releases, hits, missCount, unpooledCount, inUse, idle, reservedNow,
                Math.max(peakReserved.get(), reservedNow), exhaustedCount.get(), tracker.leaks(),
                doubleReleases.get(), Math.max(0, acquires - releases));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "BufferPool";
    }

    @Override
    public Map<String, Long> counters() {
        BufferPoolStats s = stats();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("acquires", s.acquires());
        m.put("releases", s.releases());
        m.put("hits", s.hits());
        m.put("misses", s.misses());
        m.put("unpooled", s.unpooled());
        m.put("bytesInUse", s.bytesInUse());
        m.put("bytesIdle", s.bytesIdle());
        m.put("bytesReserved", s.bytesReserved());
        m.put("peakBytesReserved", s.peakBytesReserved());
        m.put("bytesQuarantined", s.bytesQuarantined());
        m.put("exhausted", s.exhausted());
        m.put("leaksDetected", s.leaksDetected());
        m.put("doubleReleases", s.doubleReleases());
        m.put("liveLeases", s.liveLeases());
        return Collections.unmodifiableMap(m);
    }

    /**
     * The cap on direct memory.
     *
     * @return maxBytes
     */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The largest request served from size classes as configured.
     *
     * @return maxPooledCapacity
     */
    public int maxPooledCapacity() {
        return maxPooledCapacity;
    }

    /**
     * The leak detection level.
     *
     * @return the level
     */
    public LeakDetection leakDetection() {
        return tracker.level();
    }

    @Override
    public String toString() {
        return "BufferPool '" + name + "' " + stats();
    }

    // ------------------------------------------------------------------------------------ builder

    /** The {@link BufferPool.Builder} implementation. */
    public static final class Builder implements BufferPool.Builder {
        private String name;
        private long maxBytes = DEFAULT_MAX_BYTES;
        private int maxPooledCapacity = DEFAULT_MAX_POOLED_CAPACITY;
        private Exhausted whenExhausted = Exhausted.FAIL;
        private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;
        private LeakDetection leakDetection = LeakDetection.SAMPLED;
        private Consumer<LeakReport> leakListener;

        /** Creates a builder with the defaults listed in {@link BufferPool#builder()}. */
        public Builder() {
        }

        @Override
        public Builder name(String name) {
            this.name = BuilderChecks.name(name);
            return this;
        }

        @Override
        public Builder maxBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBytes must be >= 1: " + bytes);
            }
            this.maxBytes = bytes;
            return this;
        }

        @Override
        public Builder maxPooledCapacity(int bytes) {
            if (bytes < 0 || bytes > SizeClasses.MAX_CAPACITY) {
                throw new IllegalArgumentException("maxPooledCapacity must be in [0, " + SizeClasses.MAX_CAPACITY
                        + "]: " + bytes);
            }
            this.maxPooledCapacity = bytes;
            return this;
        }

        @Override
        public Builder whenExhausted(Exhausted policy) {
            this.whenExhausted = Objects.requireNonNull(policy, "policy must not be null");
            return this;
        }

        @Override
        public Builder acquireTimeout(Duration timeout) {
            this.acquireTimeout = BuilderChecks.acquireTimeout(timeout);
            return this;
        }

        @Override
        public Builder leakDetection(LeakDetection level) {
            this.leakDetection = Objects.requireNonNull(level, "level must not be null");
            return this;
        }

        @Override
        public Builder leakListener(Consumer<LeakReport> listener) {
            this.leakListener = Objects.requireNonNull(listener, "listener must not be null");
            return this;
        }

        @Override
        public BufferPool build() {
            DirectBufferPool pool = new DirectBufferPool(this, false);
            Instruments.register(pool);
            return pool;
        }
    }
}
