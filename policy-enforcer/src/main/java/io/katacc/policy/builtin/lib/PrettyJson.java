package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.BoolValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** json.marshal_with_options: Go's json.MarshalIndent layout (prefix on every line after the first). */
final class PrettyJson {
    private PrettyJson() {}

    static void registerAll(BuiltinRegistry r) {
        r.register("json.marshal_with_options", 2, (c, a) -> {
            ObjectValue opts = Args.obj("json.marshal_with_options", a, 1);
            boolean pretty = false;
            String indent = "\t", prefix = "";
            boolean explicit = false;
            for (Map.Entry<Value, Value> e : opts.fields().entrySet()) {
                String k = e.getKey() instanceof StringValue s ? s.value() : "";
                switch (k) {
                    case "pretty" -> {
                        if (!(e.getValue() instanceof BoolValue b)) throw new BuiltinError("json.marshal_with_options: 'pretty' must be a boolean");
                        pretty = b.value();
                    }
                    case "indent", "prefix" -> {
                        if (!(e.getValue() instanceof StringValue s)) throw new BuiltinError("json.marshal_with_options: '" + k + "' must be a string");
                        if (k.equals("indent")) indent = s.value();
                        else prefix = s.value();
                        explicit = true;
                    }
                    default -> throw new BuiltinError("json.marshal_with_options: unknown option " + e.getKey());
                }
            }
            if (!opts.fields().containsKey(Value.str("pretty")) && explicit) pretty = true;
            if (!pretty) return Value.str(a.get(0).toJson());
            StringBuilder sb = new StringBuilder();
            write(sb, a.get(0), prefix, indent, 0);
            return Value.str(sb.toString());
        });
    }

    private static void write(StringBuilder sb, Value v, String prefix, String indent, int depth) {
        List<Value> items;
        switch (v) {
            case ArrayValue x -> items = x.elements();
            case SetValue x -> items = new ArrayList<>(x.elements());
            case ObjectValue o -> {
                if (o.size() == 0) {
                    sb.append("{}");
                    return;
                }
                sb.append('{');
                boolean first = true;
                for (Map.Entry<Value, Value> e : o.fields().entrySet()) {
                    if (!first) sb.append(',');
                    first = false;
                    newline(sb, prefix, indent, depth + 1);
                    String key = e.getKey() instanceof StringValue s ? s.value() : e.getKey().toJson();
                    sb.append(Value.str(key).toJson()).append(": ");
                    write(sb, e.getValue(), prefix, indent, depth + 1);
                }
                newline(sb, prefix, indent, depth);
                sb.append('}');
                return;
            }
            default -> {
                sb.append(v.toJson());
                return;
            }
        }
        if (items.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) sb.append(',');
            newline(sb, prefix, indent, depth + 1);
            write(sb, items.get(i), prefix, indent, depth + 1);
        }
        newline(sb, prefix, indent, depth);
        sb.append(']');
    }

    private static void newline(StringBuilder sb, String prefix, String indent, int depth) {
        sb.append('\n').append(prefix).append(indent.repeat(depth));
    }
}
