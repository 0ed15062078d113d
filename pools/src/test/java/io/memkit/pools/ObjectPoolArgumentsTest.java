package io.memkit.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ObjectPoolArgumentsTest {

    private final ObjectPool.Builder<StringBuilder> builder = ObjectPool.builder(StringBuilder::new);

    @Test
    void builderRejectsANullFactory() {
        assertThatNullPointerException().isThrownBy(() -> ObjectPool.builder(null)).withMessageContaining("factory");
    }

    @Test
    void nameMustBeGiven() {
        assertThatNullPointerException().isThrownBy(() -> builder.name(null)).withMessageContaining("name");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.name("")).withMessageContaining("name");
    }

    @Test
    void resetAndValidateMustBeGiven() {
        assertThatNullPointerException().isThrownBy(() -> builder.reset(null)).withMessageContaining("reset");
        assertThatNullPointerException().isThrownBy(() -> builder.validate(null)).withMessageContaining("validate");
    }

    @Test
    void idleTimeoutMustBeGivenAndNotNegative() {
        assertThatNullPointerException().isThrownBy(() -> builder.idleTimeout(null)).withMessageContaining("idleTimeout");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.idleTimeout(Duration.ofMillis(-5)))
                .withMessageContaining("idleTimeout").withMessageContaining("PT-0.005S");
        assertThat(builder.idleTimeout(Duration.ZERO)).isSameAs(builder);
    }

    @Test
    void capsMustBeInRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> builder.maxIdle(-1))
                .withMessageContaining("maxIdle").withMessageContaining("-1");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.maxTotal(0))
                .withMessageContaining("maxTotal").withMessageContaining("0");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.maxTotal(Integer.MIN_VALUE))
                .withMessageContaining(String.valueOf(Integer.MIN_VALUE));
    }

    @Test
    void maxIdleMustNotExceedMaxTotal() {
        builder.maxIdle(5).maxTotal(4);
        assertThatIllegalArgumentException().isThrownBy(builder::build)
                .withMessageContaining("maxIdle 5").withMessageContaining("maxTotal 4");
    }

    @Test
    void theDefaultMaxIdleShrinksToASmallMaxTotal() {
        // The default maxIdle is larger than 1: building must not refuse it against maxTotal 1.
        try (ObjectPool<StringBuilder> pool = builder.maxTotal(1).build()) {
            pool.acquire().close();
            assertThat(pool.stats().idle()).isEqualTo(1);
            assertThat(pool.stats().created()).isEqualTo(1);
        }
    }

    @Test
    void policyTimeoutAndLeakDetectionMustBeGiven() {
        assertThatNullPointerException().isThrownBy(() -> builder.whenExhausted(null)).withMessageContaining("whenExhausted");
        assertThatNullPointerException().isThrownBy(() -> builder.acquireTimeout(null)).withMessageContaining("acquireTimeout");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.acquireTimeout(Duration.ofNanos(-1)))
                .withMessageContaining("acquireTimeout").withMessageContaining("PT-0.000000001S");
        assertThatNullPointerException().isThrownBy(() -> builder.leakDetection(null)).withMessageContaining("leakDetection");
    }

    @Test
    void aHugeTimeoutIsAccepted() {
        try (ObjectPool<StringBuilder> pool = builder.acquireTimeout(Duration.ofSeconds(Long.MAX_VALUE)).build()) {
            try (Pooled<StringBuilder> sb = pool.acquire()) {
                assertThat(sb.get()).isEmpty();
            }
        }
    }

    @Test
    void aBuilderBuildsIndependentPools() {
        builder.name("twins").maxIdle(1);
        try (ObjectPool<StringBuilder> a = builder.build(); ObjectPool<StringBuilder> b = builder.build()) {
            StringBuilder fromA;
            try (Pooled<StringBuilder> p = a.acquire()) {
                fromA = p.get();
            }
            try (Pooled<StringBuilder> p = b.acquire()) {
                assertThat(p.get()).isNotSameAs(fromA);
            }
            assertThat(a.name()).isEqualTo(b.name()).isEqualTo("twins");
        }
    }
}
