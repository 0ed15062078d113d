package io.memkit.buffers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The stale-view promise on every public read method of {@link Slice} and {@link CompositeSlice},
 * found by reflection so that a method added later is raced without anyone listing it.
 *
 * <p>Each round fills the memory of a lease with the reader's stamp (every byte the same value)
 * and starts a reader that calls the method on a view of that lease in a loop. The main thread
 * then releases the lease, makes the next lease over the same memory and fills it with a new,
 * unique stamp. Every call's outcome (return value, and what it wrote into arrays, buffers, a
 * channel or a destination Slice) is compared with the same call on a never-released copy that
 * holds the reader's stamp: a difference means a stale view returned the next owner's bytes. The
 * reader may only see equal outcomes and then {@link IllegalStateException}. Bounded: a fixed
 * number of rounds per method, each wait limited.
 */
class StaleReadRaceTest {

    /** Public methods that do not read the bytes: metadata, views and writes. */
    private static final Set<String> NOT_READS = Set.of(
            "length()", "isReadOnly()", "isAccessible()", "toString()", "slice(int,int)", "asReadOnly()",
            "asByteBuffer()", "parts()", "asByteBuffers()",
            "putByte(int,byte)", "putShort(int,short)", "putShortLE(int,short)", "putInt(int,int)",
            "putIntLE(int,int)", "putLong(int,long)", "putLongLE(int,long)",
            // Defined after release (identity), so they never throw: raced on their own below.
            "equals(Object)", "hashCode()");

    private static final int SIZE = 256;
    private static final int ROUNDS = 16;
    private static final AtomicInteger STAMPS = new AtomicInteger(1);

    static String signature(Method m) {
        return m.getName() + "(" + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(",")) + ")";
    }

    static List<Method> readMethods(Class<?> type) {
        List<Method> reads = new ArrayList<>();
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()
                    && !NOT_READS.contains(signature(m))) {
                reads.add(m);
            }
        }
        reads.sort((a, b) -> signature(a).compareTo(signature(b)));
        return reads;
    }

    @Test
    void theReadMethodsFoundAreTheOnesExpected() {
        // A guard on the guard: if reflection found nothing, the races below would prove nothing.
        assertThat(readMethods(Slice.class).stream().map(StaleReadRaceTest::signature)).contains(
                "getByte(int)", "getLongLE(int)", "putBytes(int,Slice)", "writeTo(WritableByteChannel)",
                "compareTo(Slice)", "indexOf(byte,int)", "toString(Charset)",
                "contentEquals(Slice)", "copyTo(byte[],int)", "copyTo(ByteBuffer)", "toByteArray()");
        assertThat(readMethods(CompositeSlice.class).stream().map(StaleReadRaceTest::signature)).contains(
                "getByte(long)", "writeTo(GatheringByteChannel)", "toByteArray()", "contentEquals(CompositeSlice)");
    }

    /** No read of Slice or CompositeSlice touches the memory except through CheckedMemory. */
    @Test
    void onlyCheckedMemoryTouchesTheBytes() throws Exception {
        for (String file : List.of("Slice.java", "CompositeSlice.java")) {
            String source = Files.readString(Path.of("src/main/java/io/memkit/buffers", file));
            for (String raw : List.of("heapArray(", "memory().get", "memory().put", "memory().slice",
                    "isAccessibleAfterLoad", "VarHandle")) {
                assertThat(source).as(file + " must leave " + raw + " to CheckedMemory").doesNotContain(raw);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everySliceReadThrowsOrSeesItsOwnBytes() {
        return readMethods(Slice.class).stream().flatMap(m -> {
            List<DynamicTest> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("stale receiver: " + signature(m), () -> race(m, false)));
            if (Arrays.asList(m.getParameterTypes()).stream().anyMatch(p -> p == Slice.class || p == Object.class)) {
                tests.add(DynamicTest.dynamicTest("stale argument: " + signature(m), () -> race(m, true)));
            }
            return tests.stream();
        });
    }

    @TestFactory
    Stream<DynamicTest> everyCompositeReadThrowsOrSeesItsOwnBytes() {
        return readMethods(CompositeSlice.class).stream()
                .map(m -> DynamicTest.dynamicTest(signature(m), () -> race(m, false)));
    }

    /**
     * {@code equals} and {@code hashCode} of a view racing with its release answer either from the
     * released lease's bytes or as a released Slice (identity), never from the next owner's bytes:
     * the comparison is against a copy of exactly those bytes, so equality would show a leak.
     */
    @Test
    void equalsAndHashCodeOfAStaleViewNeverSeeTheNextOwnersBytes() throws Exception {
        int leaks = 0;
        for (int round = 0; round < ROUNDS; round++) {
            ByteBuffer memory = round % 2 == 0 ? ByteBuffer.allocateDirect(SIZE) : ByteBuffer.allocate(SIZE);
            byte stamp = (byte) STAMPS.getAndIncrement();
            byte next = (byte) (stamp + 101);
            TestOwner lease = new TestOwner(memory, "lease of round " + round);
            Slice view = lease.slice();
            fill(view, stamp);
            byte[] own = new byte[SIZE];
            Arrays.fill(own, stamp);
            byte[] theirs = new byte[SIZE];
            Arrays.fill(theirs, next);
            Slice nextBytes = Slice.wrap(theirs);
            int ownHash = Arrays.hashCode(own);
            int identity = System.identityHashCode(view);

            AtomicInteger mismatches = new AtomicInteger();
            AtomicInteger calls = new AtomicInteger();
            Thread reader = new Thread(() -> {
                for (int n = 0; n < 50_000_000; n++) {
                    int h = view.hashCode();
                    if (view.equals(nextBytes) || nextBytes.equals(view) || (h != ownHash && h != identity)) {
                        mismatches.incrementAndGet();
                    }
                    calls.incrementAndGet();
                    if (h == identity && h != ownHash) {
                        return; // the release is visible: every later call answers by identity
                    }
                }
            }, "stale-reader");
            reader.setDaemon(true);
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
            while (calls.get() < 10 + round * 10 && System.nanoTime() < deadline && reader.isAlive()) {
                Thread.onSpinWait(); // let the reader get into its loop, so the release lands mid-call
            }
            lease.release();
            Slice nextView = new TestOwner(memory, "next lease").slice();
            for (int k = 0; k < 200 && reader.isAlive(); k++) {
                fill(nextView, next);
            }
            reader.join(10_000);
            assertThat(reader.isAlive()).as("reader stopped within 10 s (round %d)", round).isFalse();
            assertThat(view.equals(nextBytes)).isFalse();
            assertThat(view.hashCode()).isEqualTo(identity);
            leaks += mismatches.get();
        }
        assertThat(leaks).as("equals/hashCode answers of a stale view that came from the next owner's bytes").isZero();
    }

    /** Races {@code m} on a stale view; {@code staleArgument}: the view is the argument, not the receiver. */
    private static void race(Method m, boolean staleArgument) throws Exception {
        boolean composite = m.getDeclaringClass() == CompositeSlice.class;
        int leaks = 0;
        int throwsSeen = 0;
        for (int round = 0; round < ROUNDS; round++) {
            ByteBuffer memory = round % 2 == 0 ? ByteBuffer.allocateDirect(SIZE) : ByteBuffer.allocate(SIZE);
            byte stamp = (byte) STAMPS.getAndIncrement();
            byte next = (byte) (stamp + 101); // never equal to the reader's stamp
            TestOwner lease = new TestOwner(memory, "lease of round " + round);
            Slice view = lease.slice();
            fill(view, stamp);
            byte[] same = new byte[SIZE];
            Arrays.fill(same, stamp);
            Slice reference = Slice.wrap(same);

            Object staleTarget;
            Object referenceTarget;
            if (composite) {
                byte[] edge = new byte[3];
                Arrays.fill(edge, stamp);
                staleTarget = CompositeSlice.of(Slice.wrap(edge), view, Slice.wrap(edge));
                referenceTarget = CompositeSlice.of(Slice.wrap(edge), reference, Slice.wrap(edge));
            } else {
                staleTarget = view;
                referenceTarget = reference;
            }
            Call expected = Call.of(m, referenceTarget, referenceTarget, staleArgument, stamp);

            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger mismatches = new AtomicInteger();
            AtomicInteger calls = new AtomicInteger();
            Thread reader = new Thread(() -> {
                started.countDown();
                try {
                    for (int n = 0; n < 50_000_000; n++) {
                        Call got = Call.of(m, staleTarget, referenceTarget, staleArgument, stamp);
                        calls.incrementAndGet();
                        if (got.thrown instanceof IllegalStateException) {
                            if (!got.wipedOrUnchanged(stamp, next)) {
                                mismatches.incrementAndGet();
                            }
                            return;
                        }
                        if (got.thrown != null) {
                            failure.set(got.thrown);
                            return;
                        }
                        if (!got.sameAs(expected)) {
                            mismatches.incrementAndGet();
                        }
                    }
                    failure.set(new AssertionError("reader never saw the release"));
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "stale-reader");
            reader.setDaemon(true);
            reader.start();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
            while (calls.get() < 10 + round * 10 && System.nanoTime() < deadline && reader.isAlive()) {
                Thread.onSpinWait(); // let the reader get into its loop, so the release lands mid-call
            }
            lease.release();
            TestOwner nextLease = new TestOwner(memory, "next lease");
            Slice nextView = nextLease.slice();
            for (int k = 0; k < 200 && reader.isAlive(); k++) {
                fill(nextView, next);
            }
            reader.join(10_000);
            assertThat(reader.isAlive()).as("reader of %s stopped within 10 s (round %d, %d calls, at %s)",
                    signature(m), round, calls.get(), Arrays.toString(reader.getStackTrace())).isFalse();
            assertThat(failure.get()).as(signature(m)).isNull();
            leaks += mismatches.get();
            throwsSeen++;
        }
        assertThat(leaks).as("calls of %s on a stale view that returned the next owner's bytes", signature(m)).isZero();
        assertThat(throwsSeen).isEqualTo(ROUNDS);
    }

    private static void fill(Slice s, byte b) {
        for (int i = 0; i < s.length(); i++) {
            s.putByte(i, b);
        }
    }

    /** One call's outcome: what it returned or threw, and what it wrote where the caller can see. */
    static final class Call {
        Object result;
        Throwable thrown;
        byte[] written; // bytes the call wrote into its output argument, if it has one
        boolean channel; // the output is a channel: bytes written before a throw cannot be taken back

        static Call of(Method m, Object target, Object reference, boolean staleArgument, byte stamp) {
            Call c = new Call();
            Class<?>[] types = m.getParameterTypes();
            Object[] args = new Object[types.length];
            Object receiver = staleArgument ? reference : target;
            Object output = null;
            for (int i = 0; i < types.length; i++) {
                Class<?> t = types[i];
                if (t == int.class) {
                    args[i] = 0;
                } else if (t == long.class) {
                    args[i] = 3L; // CompositeSlice.getByte: the first byte of the leased part
                } else if (t == byte.class) {
                    args[i] = stamp; // indexOf: the reader's stamp is at 0; the next owner's is not
                } else if (t == Slice.class || t == Object.class || t == CompositeSlice.class) {
                    args[i] = staleArgument ? target : reference;
                } else if (t == byte[].class) {
                    output = args[i] = new byte[SIZE + 6];
                } else if (t == ByteBuffer.class) {
                    output = args[i] = ByteBuffer.allocate(SIZE + 6);
                } else if (t == Charset.class) {
                    args[i] = StandardCharsets.ISO_8859_1;
                } else if (t == WritableByteChannel.class || t == GatheringByteChannel.class) {
                    output = args[i] = new Sink();
                } else {
                    throw new AssertionError("no argument for " + t + " in " + signature(m) + ": teach Call");
                }
            }
            if (m.getName().equals("putBytes")) {
                output = receiver = Slice.wrap(new byte[SIZE]); // the stale view is the source
                args[1] = target; // either way, the view under test is the source
            }
            try {
                c.result = m.invoke(receiver, args);
            } catch (InvocationTargetException e) {
                c.thrown = e.getCause();
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            if (output instanceof byte[]) {
                c.written = (byte[]) output;
            } else if (output instanceof ByteBuffer) {
                c.written = ((ByteBuffer) output).array();
            } else if (output instanceof Sink) {
                c.written = ((Sink) output).out.toByteArray();
                c.channel = true;
            } else if (output instanceof Slice) {
                c.written = ((Slice) output).toByteArray();
            }
            if (c.result instanceof byte[]) {
                c.result = Arrays.toString((byte[]) c.result);
            }
            return c;
        }

        boolean sameAs(Call expected) {
            return java.util.Objects.equals(result, expected.result) && Arrays.equals(written, expected.written);
        }

        /** After a throw, no output may hold a byte of the next owner. */
        boolean wipedOrUnchanged(byte stamp, byte next) {
            if (written == null || channel) {
                return true;
            }
            for (byte b : written) {
                if (b == next) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A gathering channel that copies what it is given; accepts every byte. */
    static final class Sink implements GatheringByteChannel {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long n = 0;
            for (int k = offset; k < offset + length; k++) {
                n += write(srcs[k]);
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            while (src.hasRemaining()) {
                out.write(src.get());
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
