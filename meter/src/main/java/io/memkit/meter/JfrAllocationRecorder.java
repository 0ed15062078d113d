package io.memkit.meter;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * The JFR side of {@link AllocationSites}: the only class of this module that touches {@code jdk.jfr},
 * so that the rest loads on a runtime without it.
 */
final class JfrAllocationRecorder {
    private static final String EVENT = "jdk.ObjectAllocationSample";
    /** Far above what TLAB refills produce, so that the refills, not the throttle, set the rate. */
    private static final String THROTTLE = "1000000/s";
    /** The frame every sample taken inside the block passes through. */
    private static final String RUN_METHOD = "runWork";
    /** The frame of the samples that mark the end of the block (JDK 17-19). */
    private static final String END_METHOD = "markEnd";
    private static final String SELF = JfrAllocationRecorder.class.getName();
    private static final String INVOKE_PACKAGE = "java.lang.invoke.";
    /** RecordingStream.stop() (JDK 20+): stops and waits until every event was handed over. */
    private static final MethodHandle STOP = findStop();
    private static final long END_WAIT_NANOS = 10_000_000_000L;
    /** Bytes allocated before the block so that the thread's previous sample falls just before it. */
    private static final int PRIME_BYTES = 2 << 20;

    private static volatile Object primeSink;

    private JfrAllocationRecorder() {
    }

    static boolean jfrAvailable() {
        return FlightRecorder.isAvailable();
    }

    static AllocationReport record(Runnable work, int depth) {
        Thread me = Thread.currentThread();
        @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same number
        long threadId = me.getId();
        List<Sample> samples = new ArrayList<>();
        CountDownLatch endSeen = new CountDownLatch(1);
        long[] span = new long[2];
        Instant[] times = new Instant[2];
        RuntimeException failure = null;
        Error error = null;
        try (RecordingStream stream = new RecordingStream()) {
            stream.enable(EVENT).with("throttle", THROTTLE).withStackTrace();
            stream.onEvent(EVENT, e -> accept(e, threadId, samples, endSeen));
            stream.startAsync();
            prime();
            try {
                runWork(work, span, times);
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                error = e;
            }
            awaitDelivery(stream, endSeen);
        }
        if (failure != null) {
            throw failure;
        }
        if (error != null) {
            throw error;
        }
        long measured = span[0] < 0 || span[1] < 0 ? -1 : Math.max(0, span[1] - span[0]);
        List<Sample> inWork;
        synchronized (samples) {
            inWork = new ArrayList<>(samples.size());
            for (Sample s : samples) {
                if (s.inWork || (s.truncated && !s.time.isBefore(times[0]) && !s.time.isAfter(times[1]))) {
                    inWork.add(s);
                }
            }
        }
        return report(inWork, measured, depth);
    }

    /** The frame that marks a sample as the block's: it must stay a method of its own, never inlined away from stacks. */
    private static void runWork(Runnable work, long[] span, Instant[] times) {
        times[0] = Instant.now();
        span[0] = MemoryMeter.threadAllocatedBytes();
        try {
            work.run();
        } finally {
            span[1] = MemoryMeter.threadAllocatedBytes();
            times[1] = Instant.now();
        }
    }

    /**
     * Allocates a little so that the JVM takes a sample of this thread now: the weight of the
     * block's first sample then counts from here, not from an old sample of an earlier recording.
     */
    private static void prime() {
        for (int i = 0; i < PRIME_BYTES / 65_536; i++) {
            primeSink = new long[8_192];
        }
        primeSink = null;
    }

    private static void awaitDelivery(RecordingStream stream, CountDownLatch endSeen) {
        try {
            if (STOP != null) {
                STOP.invoke(stream);
                return;
            }
            markEnd(endSeen);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("stopping the JFR recording failed", e);
        }
    }

    /**
     * JDK 17-19, which cannot stop a stream and wait for its events: allocates until the stream hands
     * over a sample taken here. This thread's samples arrive in the order it took them, so then every
     * sample of the block has arrived. Bounded: about 25 MB a second, for at most ten seconds.
     */
    private static void markEnd(CountDownLatch endSeen) {
        long start = System.nanoTime();
        try {
            while (!endSeen.await(10, TimeUnit.MILLISECONDS) && System.nanoTime() - start < END_WAIT_NANOS) {
                primeSink = new long[32_768];
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            primeSink = null;
        }
    }

    private static void accept(RecordedEvent e, long threadId, List<Sample> samples, CountDownLatch endSeen) {
        RecordedThread thread = e.getThread();
        if (thread == null || thread.getJavaThreadId() != threadId) {
            return;
        }
        RecordedStackTrace trace = e.getStackTrace();
        List<AllocationSite.Frame> frames = new ArrayList<>();
        boolean inWork = false;
        boolean truncated = trace == null || trace.isTruncated();
        if (trace != null) {
            for (RecordedFrame f : trace.getFrames()) {
                String type = f.getMethod().getType().getName();
                String method = f.getMethod().getName();
                if (SELF.equals(type)) {
                    inWork = RUN_METHOD.equals(method);
                    if (END_METHOD.equals(method)) {
                        endSeen.countDown();
                    }
                    break;
                }
                if (!frames.isEmpty() && type.startsWith(INVOKE_PACKAGE)) {
                    continue; // method-handle plumbing between callers: not a place the reader can change
                }
                frames.add(new AllocationSite.Frame(type, method, f.getLineNumber()));
            }
        }
        if (frames.isEmpty()) {
            frames.add(new AllocationSite.Frame("<unknown>", "<unknown>", -1));
        }
        Sample s = new Sample(e.getClass("objectClass").getName(), frames, e.getLong("weight"), e.getStartTime(),
                inWork, truncated && !inWork);
        synchronized (samples) {
            samples.add(s);
        }
    }

    private static AllocationReport report(List<Sample> samples, long measured, int depth) {
        samples.sort(Comparator.comparing(s -> s.time));
        long rest = 0;
        for (int i = 1; i < samples.size(); i++) {
            rest += samples.get(i).weight;
        }
        Map<Key, long[]> sites = new LinkedHashMap<>();
        long total = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            long weight = s.weight;
            if (i == 0 && measured >= 0) {
                weight = Math.min(weight, Math.max(0, measured - rest));
            }
            List<AllocationSite.Frame> kept = s.frames.subList(0, Math.min(depth, s.frames.size()));
            long[] figures = sites.computeIfAbsent(new Key(s.type, List.copyOf(kept)), k -> new long[2]);
            figures[0]++;
            figures[1] += weight;
            total += weight;
        }
        List<AllocationSite> out = new ArrayList<>(sites.size());
        for (Map.Entry<Key, long[]> site : sites.entrySet()) {
            long bytes = site.getValue()[1];
            out.add(new AllocationSite(site.getKey().type, site.getKey().stack, site.getValue()[0], bytes,
                    total == 0 ? 0 : bytes / (double) total));
        }
        out.sort(Comparator.comparingLong(AllocationSite::estimatedBytes).reversed());
        return new AllocationReport(out, samples.size(), total, measured, depth);
    }

    private static MethodHandle findStop() {
        try {
            return MethodHandles.publicLookup().findVirtual(RecordingStream.class, "stop",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    private record Key(String type, List<AllocationSite.Frame> stack) {
    }

    private static final class Sample {
        final String type;
        final List<AllocationSite.Frame> frames;
        final long weight;
        final Instant time;
        final boolean inWork;
        final boolean truncated;

        Sample(String type, List<AllocationSite.Frame> frames, long weight, Instant time, boolean inWork,
               boolean truncated) {
            this.type = type;
            this.frames = frames;
            this.weight = weight;
            this.time = time;
            this.inWork = inWork;
            this.truncated = truncated;
        }
    }
}
