package io.memkit.junit;

import org.junit.jupiter.api.Test;

/**
 * Test classes that {@link AllocationBudgetTest} runs through JUnit's EngineTestKit; not run by the
 * build on their own (the name does not end in "Test").
 */
final class BudgetCases {
    /** Written by allocating methods so the JIT cannot remove their arrays. */
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

    static final class ZeroAllocation {
        @Test
        @AllocationBudget(bytes = 0, warmup = 10_000)
        void addsWithoutAllocating() {
            invocations++;
            sum += invocations;
        }
    }

    static final class CountedWarmup {
        @Test
        @AllocationBudget(bytes = 0, warmup = 123)
        void countsItsInvocations() {
            invocations++;
        }
    }

    static final class NoWarmup {
        @Test
        @AllocationBudget(bytes = 0, warmup = 0)
        void runsOnce() {
            invocations++;
        }
    }

    static final class AllocatesAKilobyte {
        @Test
        @AllocationBudget(bytes = 0, warmup = 10)
        void allocatesAKilobyte() {
            invocations++;
            sink = new byte[1000];
        }
    }

    static final class WithinALargerBudget {
        @Test
        @AllocationBudget(bytes = 2_000, warmup = 100)
        void allocatesAKilobyte() {
            sink = new byte[1000];
        }
    }

    static final class ThrowsChecked {
        @Test
        @AllocationBudget(bytes = 0, warmup = 3)
        void throwsChecked() throws Exception {
            throw new java.io.IOException("checked failure");
        }
    }

    static final class NegativeBudget {
        @Test
        @AllocationBudget(bytes = -1)
        void neverRuns() {
            invocations++;
        }
    }

    static final class Unbudgeted {
        @Test
        void runsOnceAsUsual() {
            invocations++;
        }
    }
}
