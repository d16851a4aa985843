package io.katacc.policy.value;

import java.util.Iterator;
import java.util.Map;

/** Text forms of values: compact JSON, and the display form used by {@code print}. */
public final class ValueFormat {
    private ValueFormat() {}

    /** Compact JSON (sets as arrays, non-string keys as their JSON text). */
    public static String json(Value v) {
        StringBuilder sb = new StringBuilder();
        writeJson(sb, v);
        return sb.toString();
    }

    /**
     * The form {@code print} uses, as regorus does: top-level strings raw, otherwise JSON-like with
     * {@code ", "} and {@code ": "} separators, sets in braces, non-string keys unquoted.
     */
    public static String display(Value v) {
        if (v instanceof StringValue s) return s.value();
        StringBuilder sb = new StringBuilder();
        writeDisplay(sb, v);
        return sb.toString();
    }

    private static void writeJson(StringBuilder sb, Value v) {
        switch (v) {
            case StringValue s -> quote(sb, s.value(), true);
            case ArrayValue a -> {
                sb.append('[');
                for (int i = 0; i < a.size(); i++) {
                    if (i > 0) sb.append(',');
                    writeJson(sb, a.get(i));
                }
                sb.append(']');
            }
            case SetValue s -> {
                sb.append('[');
                boolean first = true;
                for (Value e : s.elements()) {
                    if (!first) sb.append(',');
                    first = false;
                    writeJson(sb, e);
                }
                sb.append(']');
            }
            case ObjectValue o -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<Value, Value> e : o.fields().entrySet()) {
                    if (!first) sb.append(',');
                    first = false;
                    if (e.getKey() instanceof StringValue k) quote(sb, k.value(), true);
                    else quote(sb, json(e.getKey()), true);
                    sb.append(':');
                    writeJson(sb, e.getValue());
                }
                sb.append('}');
            }
            default -> sb.append(v.toString());
        }
    }

    private static void writeDisplay(StringBuilder sb, Value v) {
        switch (v) {
            case StringValue s -> quote(sb, s.value(), false);
            case ArrayValue a -> {
                sb.append('[');
                joinDisplay(sb, a.elements().iterator());
                sb.append(']');
            }
            case SetValue s -> {
                sb.append('{');
                joinDisplay(sb, s.elements().iterator());
                sb.append('}');
            }
            case ObjectValue o -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<Value, Value> e : o.fields().entrySet()) {
                    if (!first) sb.append(", ");
                    first = false;
                    writeDisplay(sb, e.getKey());
                    sb.append(": ");
                    writeDisplay(sb, e.getValue());
                }
                sb.append('}');
            }
            default -> sb.append(v.toString());
        }
    }

    private static void joinDisplay(StringBuilder sb, Iterator<Value> it) {
        boolean first = true;
        while (it.hasNext()) {
            if (!first) sb.append(", ");
            first = false;
            writeDisplay(sb, it.next());
        }
    }

    /** JSON string quoting (non-ASCII kept as is, as serde_json and Go do). */
    static void quote(StringBuilder sb, String s, boolean strict) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
