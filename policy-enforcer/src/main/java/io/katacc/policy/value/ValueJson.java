package io.katacc.policy.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Conversion between Jackson trees and values. */
public final class ValueJson {
    private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);

    private ValueJson() {}

    public static Value fromJson(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return Value.NULL;
        if (n.isBoolean()) return Value.bool(n.booleanValue());
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? NumberValue.of(n.longValue()) : NumberValue.of(n.bigIntegerValue());
        }
        if (n.isNumber()) return NumberValue.of(n.decimalValue());
        if (n.isTextual()) return new StringValue(n.textValue());
        if (n.isArray()) {
            List<Value> out = new ArrayList<>(n.size());
            for (JsonNode e : n) out.add(fromJson(e));
            return new ArrayValue(out);
        }
        if (n.isObject()) {
            TreeMap<Value, Value> m = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(new StringValue(e.getKey()), fromJson(e.getValue()));
            }
            return ObjectValue.adopt(m);
        }
        throw new IllegalArgumentException("unsupported JSON node: " + n.getNodeType());
    }

    /** JSON tree of a value; sets become arrays, non-string keys become their JSON text. */
    public static JsonNode toJson(Value v) {
        return switch (v) {
            case NullValue n -> F.nullNode();
            case BoolValue b -> F.booleanNode(b.value());
            case NumberValue x -> x.isInteger() && x.decimal().precision() < 19
                    ? F.numberNode(x.decimal().longValueExact()) : F.numberNode(x.decimal());
            case StringValue s -> F.textNode(s.value());
            case ArrayValue a -> {
                ArrayNode an = F.arrayNode();
                for (Value e : a.elements()) an.add(toJson(e));
                yield an;
            }
            case SetValue s -> {
                ArrayNode an = F.arrayNode();
                for (Value e : s.elements()) an.add(toJson(e));
                yield an;
            }
            case ObjectValue o -> {
                ObjectNode on = F.objectNode();
                for (Map.Entry<Value, Value> e : o.fields().entrySet()) {
                    String k = e.getKey() instanceof StringValue s ? s.value() : e.getKey().toJson();
                    on.set(k, toJson(e.getValue()));
                }
                yield on;
            }
        };
    }
}
