package io.memkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Holds a test method to a heap allocation budget: the method runs {@link #warmup()} times, then
 * once measured with {@code io.memkit.meter.MemoryMeter} (the JVM's exact per-thread byte count),
 * and the test fails if that one invocation allocated more than {@link #bytes()}.
 *
 * <pre>{@code
 * @Test
 * @AllocationBudget(bytes = 0, warmup = 10_000)
 * void acquireAndCloseAllocateNothing() {
 *     try (PooledBuffer b = pool.acquire(4096)) {
 *         sink += b.refCount();
 *     }
 * }
 * }</pre>
 *
 * <p><b>Measurement.</b> The JIT decides what allocates (escape analysis removes objects only in
 * compiled code, and compilation runs in the background), so when a measurement is over budget the
 * method is warmed up and measured again, up to five rounds in all; the test passes at the first
 * round within budget and fails with the smallest figure seen and every round's. With
 * {@code warmup = 0} there is one round: the first invocation, cold. The method runs in the same JVM
 * on the test's own thread, with no agent: it must be safe to run many times. Only that thread's
 * allocations count; work handed to other threads does not.
 *
 * <p><b>On failure</b> the message gives the measured bytes and the method's top allocation sites:
 * the method runs again, some thousands of times (up to about 64 MB allocated or two seconds), under
 * {@code io.memkit.meter.AllocationSites}' JFR recording.
 *
 * <p><b>Virtual threads.</b> The JVM keeps no per-thread allocation counter for a virtual thread, so
 * a budgeted method that runs on one fails, saying so, rather than pass unmeasured. A JVM without any
 * per-thread counter fails the same way.
 *
 * <p>Applies to {@code @Test} methods and to each invocation of a {@code @RepeatedTest} or
 * {@code @ParameterizedTest}. The JUnit timeout, if any, covers the warm-up and measurement.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(AllocationBudgetExtension.class)
public @interface AllocationBudget {

    /**
     * The most heap bytes one warmed-up invocation may allocate.
     *
     * @return the budget in bytes, 0 or more; 0 by default
     */
    long bytes() default 0;

    /**
     * Invocations before each measurement, to let the JIT compile the method and what it calls.
     *
     * @return warm-up invocations, 0 or more; 10,000 by default
     */
    int warmup() default 10_000;
}
