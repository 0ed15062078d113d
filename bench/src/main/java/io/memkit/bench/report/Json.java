package io.memkit.bench.report;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for the report: maps (written in their iteration order), lists, strings,
 * numbers, booleans and {@code null}. Non-finite numbers are written as {@code null}, which JSON
 * has no other way to say.
 */
public final class Json {
    private Json() {
    }

    /**
     * Writes a value as JSON text, indented by two spaces per level.
     *
     * @param value a {@code Map<String, ?>}, {@code List<?>}, array of strings, {@code String},
     *              {@code Number}, {@code Boolean}, {@code Enum} or {@code null}
     * @return the JSON text, ending with a line break
     * @throws IllegalArgumentException for any other type of value, naming it
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.append('\n').toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            string(out, (String) value);
        } else if (value instanceof Enum) {
            string(out, ((Enum<?>) value).name().toLowerCase(java.util.Locale.ROOT));
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            number(out, ((Number) value).doubleValue());
        } else if (value instanceof Number) {
            out.append(((Number) value).longValue());
        } else if (value instanceof Map) {
            object(out, (Map<?, ?>) value, depth);
        } else if (value instanceof List) {
            array(out, ((List<?>) value).iterator(), ((List<?>) value).isEmpty(), depth);
        } else if (value instanceof String[]) {
            array(out, List.of((Object[]) value).iterator(), ((String[]) value).length == 0, depth);
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON: " + value);
        }
    }

    private static void object(StringBuilder out, Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append("{\n");
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            indent(out, depth + 1);
            string(out, String.valueOf(e.getKey()));
            out.append(": ");
            write(out, e.getValue(), depth + 1);
            out.append(it.hasNext() ? ",\n" : "\n");
        }
        indent(out, depth);
        out.append('}');
    }

    private static void array(StringBuilder out, Iterator<?> it, boolean empty, int depth) {
        if (empty) {
            out.append("[]");
            return;
        }
        out.append("[\n");
        while (it.hasNext()) {
            indent(out, depth + 1);
            write(out, it.next(), depth + 1);
            out.append(it.hasNext() ? ",\n" : "\n");
        }
        indent(out, depth);
        out.append(']');
    }

    private static void number(StringBuilder out, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            out.append((long) d);
        } else {
            out.append(d);
        }
    }

    private static void indent(StringBuilder out, int depth) {
        out.append("  ".repeat(depth));
    }

    /**
     * Appends {@code s} as a JSON string literal, escaping quotes, backslashes and control characters.
     *
     * @param out where to append
     * @param s   the string
     */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
