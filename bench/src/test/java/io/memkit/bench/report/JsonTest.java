package io.memkit.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        String nasty = "a\"b\\c\nd\te\u0001f\u2028g</script>";
        Object back = JsonReader.parse(Json.write(List.of(nasty)));
        assertThat(back).isEqualTo(List.of(nasty));
    }

    @Test
    void writesNonFiniteNumbersAsNullAndKeepsIntegersExact() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("big", Long.MAX_VALUE);
        m.put("fraction", 0.125);
        m.put("whole", 1016.0);
        m.put("tiny", 1e-9);
        String text = Json.write(m);
        assertThat(text).contains("\"whole\": 1016,").contains("\"big\": " + Long.MAX_VALUE);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) JsonReader.parse(text);
        assertThat(back.get("nan")).isNull();
        assertThat(back.get("inf")).isNull();
        assertThat(back.get("fraction")).isEqualTo(0.125);
        assertThat(back.get("tiny")).isEqualTo(1e-9);
    }

    @Test
    void writesNestedEmptyAndOrderedStructures() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", List.of());
        m.put("a", Map.of());
        m.put("list", Arrays.asList(1, null, true, "x", Role.MEMKIT, new String[] {"p", "q"}));
        String text = Json.write(m);
        assertThat(text.indexOf("\"z\"")).isLessThan(text.indexOf("\"a\""));
        assertThat(JsonReader.parse(text)).isEqualTo(Map.of("z", List.of(), "a", Map.of(),
                "list", Arrays.asList(1.0, null, true, "x", "memkit", List.of("p", "q"))));
    }

    @Test
    void rejectsTypesItCannotWrite() {
        assertThatThrownBy(() -> Json.write(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }
}
