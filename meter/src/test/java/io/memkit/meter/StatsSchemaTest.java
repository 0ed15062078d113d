package io.memkit.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.meter.Metric.Kind;
import io.memkit.meter.Metric.Unit;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsSchemaTest {

    public record Good(
            @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "") long lookups,
            @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.x.lookups", tags = "result=hit") long hits,
            @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.x.lookups", tags = "result=miss") int misses,
            @Metric(kind = Kind.GAUGE, unit = Unit.BYTES, meter = "memkit.x.memory", tags = "state=used") long used,
            @Metric(kind = Kind.GAUGE, unit = Unit.BYTES, meter = "memkit.x.memory", tags = "state=total") long total) {

        @Metric(kind = Kind.GAUGE, unit = Unit.BYTES, meter = "memkit.x.memory", tags = "state=free")
        public long free() {
            return total - used;
        }

        /** Not a metric: ignored. */
        public long twice() {
            return 2 * total;
        }
    }

    public record Unannotated(@Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.a") long a, long b) {
    }

    public record SameMeterTwice(
            @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.a") long a,
            @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.a") long b) {
    }

    public record KindsDisagree(
            @Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.a", tags = "k=x") long a,
            @Metric(kind = Kind.GAUGE, unit = Unit.COUNT, meter = "memkit.a", tags = "k=y") long b) {
    }

    public record BadName(@Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit_Bad") long a) {
    }

    public record ReservedTag(@Metric(kind = Kind.COUNTER, unit = Unit.COUNT, meter = "memkit.a", tags = "name=x") long a) {
    }

    public record NotANumber(@Metric(kind = Kind.GAUGE, unit = Unit.COUNT, meter = "memkit.a") String a) {
    }

    @Test
    void fieldsFollowTheRecordThenDerivedMethods() {
        StatsSchema schema = StatsSchema.of(Good.class);
        assertThat(schema.fields()).extracting(StatsSchema.Field::name)
                .containsExactly("lookups", "hits", "misses", "used", "total", "free");
        StatsSchema.Field free = schema.field("free");
        assertThat(free.kind()).isEqualTo(Kind.GAUGE);
        assertThat(free.unit()).isEqualTo(Unit.BYTES);
        assertThat(free.meter()).isEqualTo("memkit.x.memory");
        assertThat(free.tags()).containsExactly(Map.entry("state", "free"));
        assertThat(schema.field("twice")).isNull();
        assertThat(StatsSchema.of(Good.class)).isSameAs(schema);
    }

    @Test
    void readGivesEveryValueInOrder() {
        Good g = new Good(10, 7, 3, 100, 160);
        assertThat(StatsSchema.of(Good.class).read(g)).containsExactly(Map.entry("lookups", 10L), Map.entry("hits", 7L),
                Map.entry("misses", 3L), Map.entry("used", 100L), Map.entry("total", 160L), Map.entry("free", 60L));
        assertThat(StatsSchema.of(Good.class).field("misses").read(g)).isEqualTo(3L);
    }

    @Test
    void readRejectsAnotherRecordType() {
        assertThatThrownBy(() -> StatsSchema.of(Good.class).read(new BadNameHolder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BadNameHolder");
        assertThatThrownBy(() -> StatsSchema.of(Good.class).field("hits").read(null))
                .isInstanceOf(NullPointerException.class);
    }

    public record BadNameHolder() {
    }

    @Test
    void mistakesThatWouldMakeExportersDisagreeAreRejected() {
        assertThatThrownBy(() -> StatsSchema.of(Unannotated.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'b' has no @Metric");
        assertThatThrownBy(() -> StatsSchema.of(SameMeterTwice.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a' and 'b' are both meter memkit.a");
        assertThatThrownBy(() -> StatsSchema.of(KindsDisagree.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("meter memkit.a is COUNTER/COUNT");
        assertThatThrownBy(() -> StatsSchema.of(BadName.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memkit_Bad");
        assertThatThrownBy(() -> StatsSchema.of(ReservedTag.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name=x");
        assertThatThrownBy(() -> StatsSchema.of(NotANumber.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
        assertThatThrownBy(() -> StatsSchema.of(null)).isInstanceOf(NullPointerException.class);
    }
}
