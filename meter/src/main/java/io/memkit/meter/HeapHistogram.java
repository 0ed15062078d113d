package io.memkit.meter;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Live instances and bytes per class on the heap, the figures objgraph's {@code show_growth}
 * compares: taken in-process from the JVM's {@code GC.class_histogram} diagnostic command (the
 * {@code com.sun.management:type=DiagnosticCommand} MBean's {@code gcClassHistogram} operation),
 * with no agent and no heap dump.
 *
 * <p><b>{@link #take()} runs a full, stop-the-world garbage collection first</b>, so the counts are
 * of reachable objects only and exact: a test that holds 10,000 objects of its own class sees
 * exactly 10,000. The collection and the heap walk take tens to hundreds of milliseconds on a heap
 * of a few hundred MB and pause every thread: use it in tests, leak hunts and diagnostics, not on a
 * request path.
 *
 * <p>Classes are named as {@link Class#getName()} names them ({@code "[B"} for {@code byte[]});
 * classes of the same name from different class loaders are summed into one entry.
 *
 * <p>Immutable and thread-safe.
 */
public final class HeapHistogram {
    private static final String MBEAN = "com.sun.management:type=DiagnosticCommand";
    private static final String OPERATION = "gcClassHistogram";

    // Kept as arrays sorted by name, with interned names: a histogram held while the next is taken
    // (as HeapGrowth holds its first two) then adds a handful of objects to the count, not one per class.
    private final String[] names;
    private final String[] modules;
    private final long[] instances;
    private final long[] bytes;
    private final long totalInstances;
    private final long totalBytes;

    private HeapHistogram(Map<String, long[]> counts, Map<String, String> moduleOf) {
        int n = counts.size();
        String[] sorted = counts.keySet().toArray(new String[0]);
        Arrays.sort(sorted);
        names = new String[n];
        modules = new String[n];
        instances = new long[n];
        bytes = new long[n];
        long allInstances = 0;
        long allBytes = 0;
        for (int i = 0; i < n; i++) {
            long[] c = counts.get(sorted[i]);
            names[i] = sorted[i].intern();
            modules[i] = moduleOf.getOrDefault(sorted[i], "").intern();
            instances[i] = c[0];
            bytes[i] = c[1];
            allInstances += c[0];
            allBytes += c[1];
        }
        totalInstances = allInstances;
        totalBytes = allBytes;
    }

    /**
     * Runs a full garbage collection, then counts the live instances and bytes of every class.
     *
     * @return the histogram
     * @throws UnsupportedOperationException if this JVM has no diagnostic command MBean (a JVM without
     *                                       the {@code jdk.management} module, or not HotSpot)
     * @throws IllegalStateException         if the command fails or answers in an unknown format
     */
    public static HeapHistogram take() {
        String text;
        try {
            ObjectName name = new ObjectName(MBEAN);
            if (!ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
                throw new UnsupportedOperationException("no " + MBEAN + " MBean in this JVM: heap histograms need "
                        + "HotSpot's diagnostic commands (module jdk.management)");
            }
            Object answer = ManagementFactory.getPlatformMBeanServer().invoke(name, OPERATION,
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            text = String.valueOf(answer);
        } catch (JMException e) {
            throw new IllegalStateException(MBEAN + " " + OPERATION + " failed: " + e, e);
        }
        return parse(text);
    }

    /**
     * Reads the text of {@code GC.class_histogram}: a header, then lines of
     * {@code "num: instances bytes class-name [(module)]"}, then a total.
     */
    static HeapHistogram parse(String text) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, String> modules = new HashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            int colon = line.indexOf(':');
            if (colon <= 0 || !isDigits(line, 0, colon)) {
                continue; // header, separator or total
            }
            String[] parts = line.substring(colon + 1).trim().split("\\s+");
            if (parts.length < 3) {
                throw new IllegalStateException("unexpected class histogram line: \"" + raw + "\"");
            }
            long instances;
            long bytes;
            try {
                instances = Long.parseLong(parts[0]);
                bytes = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("unexpected class histogram line: \"" + raw + "\"", e);
            }
            String className = parts[2];
            long[] c = counts.computeIfAbsent(className, k -> new long[2]);
            c[0] += instances;
            c[1] += bytes;
            if (parts.length > 3 && parts[3].startsWith("(") && parts[3].endsWith(")")) {
                modules.putIfAbsent(className, parts[3].substring(1, parts[3].length() - 1));
            }
        }
        return new HeapHistogram(counts, modules);
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares two histograms: how many instances and bytes each class gained or lost.
     *
     * @param before the earlier histogram
     * @param after  the later histogram
     * @return every class whose count or bytes changed, largest byte growth first
     * @throws NullPointerException if an argument is {@code null}
     */
    public static Diff diff(HeapHistogram before, HeapHistogram after) {
        Objects.requireNonNull(before, "before must not be null");
        Objects.requireNonNull(after, "after must not be null");
        List<Diff.Change> changes = new ArrayList<>();
        int i = 0;
        int j = 0;
        // Both name arrays are sorted: one merge pass visits every class of either.
        while (i < before.names.length || j < after.names.length) {
            int order = i == before.names.length ? 1 : j == after.names.length ? -1
                    : before.names[i].compareTo(after.names[j]);
            Diff.Change c;
            if (order == 0) {
                c = new Diff.Change(after.names[j], before.instances[i], after.instances[j], before.bytes[i],
                        after.bytes[j]);
                i++;
                j++;
            } else if (order < 0) {
                c = new Diff.Change(before.names[i], before.instances[i], 0, before.bytes[i], 0);
                i++;
            } else {
                c = new Diff.Change(after.names[j], 0, after.instances[j], 0, after.bytes[j]);
                j++;
            }
            if (c.instancesDelta() != 0 || c.bytesDelta() != 0) {
                changes.add(c);
            }
        }
        changes.sort(Comparator.comparingLong(Diff.Change::bytesDelta).reversed()
                .thenComparing(Diff.Change::className));
        return new Diff(changes, after.totalInstances - before.totalInstances, after.totalBytes - before.totalBytes);
    }

    /**
     * Every class with live instances, largest bytes first.
     *
     * @return the entries, a new list each call
     */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            entries.add(new Entry(names[i], modules[i], instances[i], bytes[i]));
        }
        entries.sort(Comparator.comparingLong(Entry::bytes).reversed().thenComparing(Entry::className));
        return Collections.unmodifiableList(entries);
    }

    /**
     * Live instances of one class.
     *
     * @param type the class
     * @return its instance count, 0 if none
     * @throws NullPointerException if {@code type} is {@code null}
     */
    public long instances(Class<?> type) {
        return instances(Objects.requireNonNull(type, "type must not be null").getName());
    }

    /**
     * Live instances of the class of this name.
     *
     * @param className as {@link Class#getName()} spells it
     * @return its instance count, 0 if none
     * @throws NullPointerException if {@code className} is {@code null}
     */
    public long instances(String className) {
        int i = Arrays.binarySearch(names, Objects.requireNonNull(className, "className must not be null"));
        return i < 0 ? 0 : instances[i];
    }

    /**
     * Bytes of the live instances of the class of this name.
     *
     * @param className as {@link Class#getName()} spells it
     * @return their shallow bytes, 0 if none
     * @throws NullPointerException if {@code className} is {@code null}
     */
    public long bytes(String className) {
        int i = Arrays.binarySearch(names, Objects.requireNonNull(className, "className must not be null"));
        return i < 0 ? 0 : bytes[i];
    }

    /**
     * Live instances of every class.
     *
     * @return the sum of the entries' instances
     */
    public long totalInstances() {
        return totalInstances;
    }

    /**
     * Bytes of every live instance.
     *
     * @return the sum of the entries' bytes
     */
    public long totalBytes() {
        return totalBytes;
    }

    /**
     * The totals and the number of classes; not the table.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "HeapHistogram[%,d classes, %,d instances, %,d B]", names.length,
                totalInstances, totalBytes);
    }

    /**
     * One class of a histogram.
     *
     * @param className as {@link Class#getName()} spells it
     * @param module    the module and version the JVM printed (e.g. {@code "java.base@17.0.15"}), or
     *                  empty for a class on the class path
     * @param instances live instances
     * @param bytes     their shallow bytes (headers, fields, array elements; not what they refer to)
     */
    public record Entry(String className, String module, long instances, long bytes) {

        /**
         * Checks the values.
         *
         * @throws NullPointerException     if a name is {@code null}
         * @throws IllegalArgumentException if a count is negative
         */
        public Entry {
            Objects.requireNonNull(className, "className must not be null");
            Objects.requireNonNull(module, "module must not be null");
            if (instances < 0 || bytes < 0) {
                throw new IllegalArgumentException(className + ": instances=" + instances + ", bytes=" + bytes
                        + " must not be negative");
            }
        }
    }

    /**
     * What changed between two histograms.
     *
     * @param changes        every class whose instances or bytes changed, largest byte growth first
     * @param instancesDelta change of all live instances
     * @param bytesDelta     change of all live bytes
     */
    public record Diff(List<Change> changes, long instancesDelta, long bytesDelta) {

        /**
         * Copies {@code changes}.
         *
         * @throws NullPointerException if {@code changes} is {@code null}
         */
        public Diff {
            changes = List.copyOf(changes);
        }

        /**
         * The classes that gained instances, most instances gained first: objgraph's {@code show_growth}.
         *
         * @return the growing classes
         */
        public List<Change> grown() {
            List<Change> grown = new ArrayList<>();
            for (Change c : changes) {
                if (c.instancesDelta() > 0) {
                    grown.add(c);
                }
            }
            grown.sort(Comparator.comparingLong(Change::instancesDelta).reversed().thenComparing(Change::className));
            return Collections.unmodifiableList(grown);
        }

        /**
         * How many instances of a class were gained (or lost, if negative).
         *
         * @param type the class
         * @return after minus before
         * @throws NullPointerException if {@code type} is {@code null}
         */
        public long instancesDelta(Class<?> type) {
            return instancesDelta(Objects.requireNonNull(type, "type must not be null").getName());
        }

        /**
         * How many instances of the class of this name were gained (or lost, if negative).
         *
         * @param className as {@link Class#getName()} spells it
         * @return after minus before, 0 if it did not change
         * @throws NullPointerException if {@code className} is {@code null}
         */
        public long instancesDelta(String className) {
            Objects.requireNonNull(className, "className must not be null");
            for (Change c : changes) {
                if (c.className().equals(className)) {
                    return c.instancesDelta();
                }
            }
            return 0;
        }

        /**
         * The classes that gained most instances, as objgraph prints them: name, count after and gain.
         *
         * @param n how many classes at most
         * @return the text, one line per class, ending with a line break
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public String format(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("n must not be negative: " + n);
            }
            StringBuilder out = new StringBuilder();
            List<Change> grown = grown();
            for (Change c : grown.subList(0, Math.min(n, grown.size()))) {
                out.append(String.format(Locale.ROOT, "  %-60s %,12d %+,12d  %+,14d B%n", c.className(),
                        c.instancesAfter(), c.instancesDelta(), c.bytesDelta()));
            }
            return out.toString();
        }

        /**
         * One class's change.
         *
         * @param className       as {@link Class#getName()} spells it
         * @param instancesBefore live instances in the earlier histogram
         * @param instancesAfter  live instances in the later histogram
         * @param bytesBefore     their bytes in the earlier histogram
         * @param bytesAfter      their bytes in the later histogram
         */
        public record Change(String className, long instancesBefore, long instancesAfter, long bytesBefore,
                             long bytesAfter) {

            /**
             * Checks for null.
             *
             * @throws NullPointerException if {@code className} is {@code null}
             */
            public Change {
                Objects.requireNonNull(className, "className must not be null");
            }

            /**
             * Instances gained, negative if lost.
             *
             * @return {@code instancesAfter - instancesBefore}
             */
            public long instancesDelta() {
                return instancesAfter - instancesBefore;
            }

            /**
             * Bytes gained, negative if lost.
             *
             * @return {@code bytesAfter - bytesBefore}
             */
            public long bytesDelta() {
                return bytesAfter - bytesBefore;
            }
        }
    }
}
