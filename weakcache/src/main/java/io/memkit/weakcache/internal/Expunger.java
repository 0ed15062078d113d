package io.memkit.weakcache.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One daemon thread, shared by every interner and cache of the JVM, that expunges the entries
 * whose referents the collector cleared, so that a program that stops calling an interner or a
 * cache still gets those entries back.
 *
 * <p>When to look: the thread blocks on a reference queue of its own that holds a weak "canary"
 * object; the collector clears the canary in the same kind of collection that clears entries'
 * referents (a young collection clears it because it is young; a full one clears everything), so
 * the thread wakes right after a collection without any dependency on {@code java.management}. A
 * collection that clears old referents but not the canary (the remark of a concurrent cycle) is
 * caught by the timed wake-up every {@value #IDLE_WAIT_MILLIS} ms. After waking it steps without
 * pause while it finds work, then every {@value #SETTLE_MILLIS} ms until {@value #SETTLE_STEPS}
 * steps in a row found nothing, because the JDK's reference handler enqueues the cleared
 * references after the canary, possibly slowly.
 *
 * <p>What a step does: {@link Target#expungeStep()} on every registered target, each of which
 * expunges a bounded batch per lock hold, so a caller of the interner or cache never waits for
 * more than one batch. Targets are held weakly: a dropped interner or cache is collected as if the
 * thread did not exist, and the thread ends once no target is left (a later registration starts
 * a new one). It runs with no context class loader and no inherited thread-locals, so it pins no
 * application's classes.
 *
 * <p>Thread-safe.
 */
public final class Expunger {
    /** The longest sleep when no collection wakes the thread: bounds the delay after a concurrent cycle. */
    static final long IDLE_WAIT_MILLIS = 500;
    /** The pause between steps while references are still being enqueued after a collection. */
    static final long SETTLE_MILLIS = 25;
    /**
     * Steps in a row that find nothing before the thread goes back to waiting for a collection:
     * on a busy machine the reference handler enqueues a large batch over a second or more, so
     * one empty step does not mean the batch is done.
     */
    static final int SETTLE_STEPS = 20;

    private static final System.Logger LOG = System.getLogger(Expunger.class.getName());
    private static final ReentrantLock LOCK = new ReentrantLock();
    /** Guarded by {@link #LOCK}. */
    private static final List<WeakReference<Target>> TARGETS = new ArrayList<>();
    /** The running thread, or {@code null}; guarded by {@link #LOCK}. */
    private static Thread thread;
    /** Threads started so far, for their names; guarded by {@link #LOCK}. */
    private static long started;

    private Expunger() {
    }

    /** Something that holds reference queues of cleared entries. */
    public interface Target {
        /**
         * Expunges at most one bounded batch of cleared entries per queue it owns, taking each
         * lock for one batch at a time. Called only by the expunger thread.
         *
         * @return how many references it polled; zero when it found nothing
         */
        int expungeStep();
    }

    /**
     * Adds a target, held weakly, and starts the thread when none runs. The target must stay
     * strongly reachable from its owner for as long as the owner lives (a field of it), or it is
     * dropped early.
     *
     * @param target the target
     */
    public static void register(Target target) {
        LOCK.lock();
        try {
            TARGETS.add(new WeakReference<>(target));
            if (thread == null) {
                Thread t = new Thread(null, Expunger::run, "memkit-expunger-" + ++started, 0, false);
                t.setDaemon(true);
                t.setContextClassLoader(null);
                thread = t;
                t.start();
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** The live targets, pruning cleared ones; {@code null} (and the thread ends) when none is left. */
    private static Target[] liveTargets() {
        LOCK.lock();
        try {
            List<Target> live = new ArrayList<>(TARGETS.size());
            TARGETS.removeIf(ref -> {
                Target t = ref.get();
                if (t == null) {
                    return true;
                }
                live.add(t);
                return false;
            });
            if (live.isEmpty()) {
                thread = null;
                return null;
            }
            return live.toArray(new Target[0]);
        } finally {
            LOCK.unlock();
        }
    }

    private static void run() {
        ReferenceQueue<Object> collections = new ReferenceQueue<>();
        WeakReference<Object> canary = new WeakReference<>(new Object(), collections);
        int quiet = SETTLE_STEPS;
        for (;;) {
            long polled = step();
            if (polled < 0) {
                return;
            }
            // Nothing is held strongly here while waiting: step() kept the targets in its own frame.
            quiet = polled > 0 ? 0 : quiet + 1;
            long wait = quiet < SETTLE_STEPS ? SETTLE_MILLIS : IDLE_WAIT_MILLIS;
            try {
                if (polled == 0 || quiet >= SETTLE_STEPS) {
                    Reference<?> fired = collections.remove(wait);
                    if (fired != null) {
                        canary = new WeakReference<>(new Object(), collections);
                        quiet = 0;
                    }
                }
            } catch (InterruptedException ignored) {
                // Nobody but memkit owns this thread; an interrupt only ends this wait early.
            }
            Reference.reachabilityFence(canary);
        }
    }

    /** One step over every live target; the references polled, or -1 when no target is left. */
    private static long step() {
        Target[] targets = liveTargets();
        if (targets == null) {
            return -1;
        }
        long polled = 0;
        for (Target target : targets) {
            try {
                polled += target.expungeStep();
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "expunging " + target + " failed; it is retried on the next step", t);
            }
        }
        return polled;
    }
}
