package io.memkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.memkit.meter.AllocationSites;
import io.memkit.meter.MemoryMeter;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

class AllocationBudgetTest {

    @BeforeEach
    void reset() {
        assumeTrue(MemoryMeter.isSupported(), "no per-thread allocation counter in this JVM");
        BudgetCases.reset();
        System.setProperty(BudgetCases.RUNNING, "true");
    }

    @AfterEach
    void stopRunningCases() {
        System.clearProperty(BudgetCases.RUNNING);
    }

    private static Events run(Class<?> cases) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(cases)).execute().testEvents();
    }

    private static Throwable failureOf(Events events) {
        Event failed = events.failed().stream().findFirst().orElseThrow();
        return failed.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
    }

    @Test
    void aMethodThatAllocatesNothingPasses() {
        run(BudgetCases.ZeroAllocation.class).assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }

    @Test
    void warmupCountIsRespected() {
        run(BudgetCases.CountedWarmup.class).assertStatistics(s -> s.succeeded(1));
        assertThat(BudgetCases.invocations).as("123 warm-up invocations and one measured").isEqualTo(124);

        BudgetCases.reset();
        run(BudgetCases.NoWarmup.class).assertStatistics(s -> s.succeeded(1));
        assertThat(BudgetCases.invocations).as("no warm-up: the one measured invocation").isEqualTo(1);

        BudgetCases.reset();
        run(BudgetCases.Unbudgeted.class).assertStatistics(s -> s.succeeded(1));
        assertThat(BudgetCases.invocations).as("without the annotation JUnit invokes it once").isEqualTo(1);
    }

    @Test
    void anAllocatingMethodFailsWithTheMeasuredBytesAndItsTopSite() {
        long kilobyteArray = MemoryMeter.measure(() -> BudgetCases.sink = new byte[1000]).allocatedBytes();
        BudgetCases.reset();

        Events events = run(BudgetCases.AllocatesAKilobyte.class);
        events.assertStatistics(s -> s.failed(1));
        Throwable failure = failureOf(events);
        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage())
                .contains(String.format(java.util.Locale.ROOT, "allocated %,d bytes per invocation", kilobyteArray))
                .contains("over its budget of 0 bytes")
                .contains("after 10 warm-up invocation(s)")
                .contains("the smallest of 5 rounds");
        // Five rounds of 10 warm-up invocations and one measured, then the ones the sites recording ran.
        assertThat(BudgetCases.invocations).isGreaterThan(BudgetCheck.ROUNDS * 11);
        if (AllocationSites.isSupported()) {
            assertThat(failure.getMessage()).as(failure.getMessage()).contains("Top allocation sites")
                    .contains("[B")
                    .contains(BudgetCases.AllocatesAKilobyte.class.getName() + ".allocatesAKilobyte:");
        }
    }

    @Test
    void aMethodWithinItsLargerBudgetPasses() {
        run(BudgetCases.WithinALargerBudget.class).assertStatistics(s -> s.succeeded(1));
    }

    @Test
    void aCheckedExceptionOfTheMethodFailsTheTestUnchanged() {
        Events events = run(BudgetCases.ThrowsChecked.class);
        events.assertStatistics(s -> s.failed(1));
        assertThat(failureOf(events)).isInstanceOf(java.io.IOException.class).hasMessage("checked failure");
    }

    @Test
    void aNegativeBudgetIsRejectedNamingTheValue() {
        Events events = run(BudgetCases.NegativeBudget.class);
        events.assertStatistics(s -> s.failed(1));
        assertThat(failureOf(events)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes (-1)");
        assertThat(BudgetCases.invocations).isZero();
    }

    @Test
    void onAVirtualThreadTheBudgetFailsClearly() throws Exception {
        Method start;
        try {
            start = Thread.class.getMethod("startVirtualThread", Runnable.class);
        } catch (NoSuchMethodException e) {
            assumeTrue(false, "virtual threads need JDK 21+");
            return;
        }
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        BudgetCheck.Call call = new BudgetCheck.Call(java.lang.invoke.MethodHandles.lookup().findStatic(
                AllocationBudgetTest.class, "nothing", java.lang.invoke.MethodType.methodType(void.class)));
        Thread virtual = (Thread) start.invoke(null, (Runnable) () -> {
            try {
                BudgetCheck.enforce("Case.method()", 0, 10, call);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        virtual.join(30_000);
        assertThat(virtual.isAlive()).as("virtual thread finished within 30 s").isFalse();
        assertThat(thrown.get()).isInstanceOf(AssertionError.class).hasMessageContaining("virtual thread")
                .hasMessageContaining("Case.method()");
    }

    @SuppressWarnings("unused") // called through a method handle
    private static void nothing() {
    }
}
