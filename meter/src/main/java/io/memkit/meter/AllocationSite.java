package io.memkit.meter;

import java.util.List;
import java.util.Objects;

/**
 * One place that allocates, as {@link AllocationSites} saw it through JFR's allocation samples:
 * the type allocated, the stack that allocated it (innermost frame first), and the estimated
 * bytes the samples there stand for.
 *
 * <p>Immutable.
 *
 * @param objectType     the allocated class, as {@link Class#getName()} spells it (e.g. {@code "[B"})
 * @param stack          the allocating frames, innermost first, at most the recording's depth; never
 *                       empty (a sample without a stack gets one frame {@code "<unknown>"})
 * @param samples        how many JFR samples fell on this site
 * @param estimatedBytes the sum of those samples' weights: an estimate of the bytes allocated here
 *                       (see {@link AllocationSites} for how exact it is)
 * @param share          {@code estimatedBytes} as a fraction of the report's estimated total, 0 to 1
 */
public record AllocationSite(String objectType, List<Frame> stack, long samples, long estimatedBytes, double share) {

    /**
     * Checks the values and copies {@code stack}.
     *
     * @throws NullPointerException     if {@code objectType} or {@code stack} is {@code null}
     * @throws IllegalArgumentException if {@code stack} is empty or a figure is negative
     */
    public AllocationSite {
        Objects.requireNonNull(objectType, "objectType must not be null");
        stack = List.copyOf(stack);
        if (stack.isEmpty()) {
            throw new IllegalArgumentException("stack must not be empty for " + objectType);
        }
        if (samples < 0 || estimatedBytes < 0 || !(share >= 0)) {
            throw new IllegalArgumentException("figures must not be negative: samples=" + samples
                    + ", estimatedBytes=" + estimatedBytes + ", share=" + share);
        }
    }

    /**
     * The class of the innermost allocating frame.
     *
     * @return e.g. {@code "java.util.Arrays"}
     */
    public String className() {
        return stack.get(0).className();
    }

    /**
     * The method of the innermost allocating frame.
     *
     * @return e.g. {@code "copyOfRange"}
     */
    public String methodName() {
        return stack.get(0).methodName();
    }

    /**
     * The source line of the innermost allocating frame.
     *
     * @return the line, or {@code -1} where the class has no line table
     */
    public int lineNumber() {
        return stack.get(0).lineNumber();
    }

    /**
     * The same site with its figures replaced; used when two reports are compared.
     *
     * @param samples        samples
     * @param estimatedBytes estimated bytes
     * @param share          share of the total
     * @return a new site with the same type and stack
     */
    AllocationSite with(long samples, long estimatedBytes, double share) {
        return new AllocationSite(objectType, stack, samples, estimatedBytes, share);
    }

    /**
     * One frame of an allocating stack.
     *
     * @param className  the declaring class, e.g. {@code "io.memkit.bench.Parse"}
     * @param methodName the method, e.g. {@code "parse"}
     * @param lineNumber the source line, or {@code -1} where unknown
     */
    public record Frame(String className, String methodName, int lineNumber) {

        /**
         * Checks for nulls.
         *
         * @throws NullPointerException if a name is {@code null}
         */
        public Frame {
            Objects.requireNonNull(className, "className must not be null");
            Objects.requireNonNull(methodName, "methodName must not be null");
        }

        /**
         * The frame as {@code class.method:line}, the way tracemalloc prints a line.
         *
         * @return e.g. {@code "io.memkit.bench.Parse.parse:42"}
         */
        @Override
        public String toString() {
            return className + "." + methodName + ":" + lineNumber;
        }
    }
}
