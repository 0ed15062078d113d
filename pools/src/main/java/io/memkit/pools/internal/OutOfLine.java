package io.memkit.pools.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Keeps a call out of line: the pools store a method handle in an instance field, which C2 does not
 * treat as a constant, so it cannot inline the call through it. The pools use it for the cold parts
 * of their hot operations (starting leak tracking, ending a lease), so that the hot methods' compiled
 * code stays small enough to be inlined into every caller, which is what lets escape analysis remove
 * the handles there. One indirect call each time. {@code BufferPoolInliningTest} and
 * {@code ObjectPoolInliningTest} guard the sizes this is for.
 */
final class OutOfLine {
    private OutOfLine() {
    }

    /**
     * A handle to a method of the caller's class.
     *
     * @param lookup the caller's lookup
     * @param name   the method's name
     * @param type   the method's type (without the receiver)
     * @return the handle
     * @throws ExceptionInInitializerError if there is no such method (called from static initializers)
     */
    static MethodHandle method(MethodHandles.Lookup lookup, String name, MethodType type) {
        try {
            return lookup.findVirtual(lookup.lookupClass(), name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * What to throw for a {@link Throwable} that {@code invokeExact} reported: unchecked ones
     * unchanged; the handles used here never throw checked exceptions.
     *
     * @param t what the call threw
     * @return an exception to throw, for {@code throw OutOfLine.rethrow(t)}
     */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }
}
