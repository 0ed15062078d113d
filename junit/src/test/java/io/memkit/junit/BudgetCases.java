package io.memkit.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Test classes that {@link AllocationBudgetTest} runs through JUnit's EngineTestKit; not run by the
 * build on their own (the name does not end in "Test"), and disabled unless that test sets
 * {@value #RUNNING} (so that a {@code -Dtest} pattern that matches them does not run them alone).
 */
final class BudgetCases {
    /** Written by allocating methods so the JIT cannot remove their arrays. */
    static final String RUNNING = "memkit.budget.cases";
    static volatile Object sink;
    static long sum;
    static int invocations;

    private BudgetCases() {
    }

    static void reset() {
        sink = null;
        sum = 0;
        invocations = 0;
    }

    @EnabledIfSystemProperty(named = RUNNING, matches = "true")
    static final class ZeroAllocation {
        @Test
        @AllocationBudget(bytes = 0, warmup = 10_000)
        void addsWithoutAllocating() {
            invocations++;
            sum += invocations;
        }
    }

    @EnabledIfSystemProperty(named = RUNNING, matches = "true")
    static final class CountedWarmup {
        @Test
        @AllocationBudget(bytes = 0, warmup = 123)
        void countsItsInvocations() {
            invocations++;
        }
    }

    @EnabledIfSystemProperty(named = RUNNING, matches = "true")
    static final class NoWarmup {
        @Test
        @AllocationBudget(bytes = 0, warmup = 0)
        void runsOnce() {
            invocations++;
        }
    }

    @EnabledIfSystemProperty(named = RUNNING, matches = "true")
    static final class AllocatesAKilobyte {
        @Test
        @AllocationBudget(bytes = 0, warmup = 10)
        void allocatesAKilobyte() {
            invocations++;
            sink = new byte[1000];
        }
    }

    @EnabledIfSystemProperty(named = RUNNING, matches = "true")
    static final class WithinALargerBudget {
        @Test
        @AllocationBudget(bytes = 2_000, warmup = 100)
        void allocatesAKilobyte() {
            sink = new byte[1000];
        }
    }

    @EnabledIfSystemProperty(named = RUNNING, matches = "true")
    static final class ThrowsChecked {
        @Test
        @AllocationBudget(bytes = 0, warmup = 3)
        void throwsChecked() throws Exception {
            throw new java.io.IOException("checked failure");
        }
    }

    @EnabledIfSystemProperty(named = RUNNING, matches = "true")
    static final class NegativeBudget {
        @Test
        @AllocationBudget(bytes = -1)
        void neverRuns() {
            invocations++;
        }
    }

    @EnabledIfSystemProperty(named = RUNNING, matches = "true")
    static final class Unbudgeted {
        @Test
        void runsOnceAsUsual() {
            invocations++;
        }
    }
}
