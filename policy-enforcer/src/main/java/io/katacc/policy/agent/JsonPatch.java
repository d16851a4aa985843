package io.katacc.policy.agent;

import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;

import java.util.ArrayList;
import java.util.List;

/** RFC 6902 JSON Patch over values; all-or-nothing (the input is never modified). */
public final class JsonPatch {
    private JsonPatch() {}

    /** Applies {@code ops} (an array of operation objects) to {@code doc}. */
    public static Value apply(Value doc, Value ops) {
        if (!(ops instanceof ArrayValue list)) throw new IllegalArgumentException("JSON patch must be an array, got " + ops.typeName());
        Value cur = doc;
        for (Value op : list.elements()) {
            if (!(op instanceof ObjectValue o)) throw new IllegalArgumentException("JSON patch operation must be an object");
            String kind = str(o, "op");
            List<String> path = pointer(str(o, "path"));
            cur = switch (kind) {
                case "add" -> add(cur, path, 0, need(o, "value"));
                case "remove" -> remove(cur, path, 0);
                case "replace" -> add(remove(cur, path, 0), path, 0, need(o, "value"));
                case "move" -> {
                    List<String> from = pointer(str(o, "from"));
                    Value v = get(cur, from);
                    yield add(remove(cur, from, 0), path, 0, v);
                }
                case "copy" -> add(cur, path, 0, get(cur, pointer(str(o, "from"))));
                case "test" -> {
                    if (!get(cur, path).equals(need(o, "value"))) throw new IllegalArgumentException("JSON patch test failed at " + str(o, "path"));
                    yield cur;
                }
                default -> throw new IllegalArgumentException("unknown JSON patch op '" + kind + "'");
            };
        }
        return cur;
    }

    private static String str(ObjectValue o, String k) {
        if (o.get(k) instanceof StringValue s) return s.value();
        throw new IllegalArgumentException("JSON patch operation needs a string '" + k + "'");
    }

    private static Value need(ObjectValue o, String k) {
        Value v = o.get(k);
        if (v == null) throw new IllegalArgumentException("JSON patch operation needs '" + k + "'");
        return v;
    }

    static List<String> pointer(String p) {
        List<String> out = new ArrayList<>();
        if (p.isEmpty()) return out;
        if (!p.startsWith("/")) throw new IllegalArgumentException("JSON pointer must start with '/': " + p);
        for (String s : p.substring(1).split("/", -1)) out.add(s.replace("~1", "/").replace("~0", "~"));
        return out;
    }

    private static Value get(Value cur, List<String> path) {
        for (String s : path) {
            cur = child(cur, s);
            if (cur == null) throw new IllegalArgumentException("JSON patch path not found: /" + String.join("/", path));
        }
        return cur;
    }

    private static Value child(Value cur, String s) {
        if (cur instanceof ObjectValue o) return o.get(s);
        if (cur instanceof ArrayValue a) {
            int i = index(s, a.size() - 1);
            return a.get(i);
        }
        return null;
    }

    private static int index(String s, int max) {
        try {
            int i = Integer.parseInt(s);
            if (i < 0 || i > max || (s.length() > 1 && s.startsWith("0"))) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad array index in JSON patch: " + s);
        }
    }

    private static Value add(Value cur, List<String> path, int i, Value v) {
        if (i == path.size()) return v;
        String s = path.get(i);
        boolean last = i == path.size() - 1;
        if (cur instanceof ObjectValue o) {
            Value c = o.get(s);
            if (!last && c == null) throw new IllegalArgumentException("JSON patch path not found: " + s);
            return o.with(new StringValue(s), last ? v : add(c, path, i + 1, v));
        }
        if (cur instanceof ArrayValue a) {
            List<Value> es = new ArrayList<>(a.elements());
            if (last) {
                es.add(s.equals("-") ? es.size() : index(s, es.size()), v);
            } else {
                int j = index(s, es.size() - 1);
                es.set(j, add(es.get(j), path, i + 1, v));
            }
            return new ArrayValue(es);
        }
        throw new IllegalArgumentException("JSON patch path goes through a " + cur.typeName());
    }

    private static Value remove(Value cur, List<String> path, int i) {
        if (path.isEmpty()) throw new IllegalArgumentException("cannot remove the whole document");
        String s = path.get(i);
        boolean last = i == path.size() - 1;
        if (cur instanceof ObjectValue o) {
            Value c = o.get(s);
            if (c == null) throw new IllegalArgumentException("JSON patch path not found: " + s);
            java.util.TreeMap<Value, Value> m = new java.util.TreeMap<>(o.fields());
            if (last) m.remove(new StringValue(s));
            else m.put(new StringValue(s), remove(c, path, i + 1));
            return ObjectValue.adopt(m);
        }
        if (cur instanceof ArrayValue a) {
            List<Value> es = new ArrayList<>(a.elements());
            int j = index(s, es.size() - 1);
            if (last) es.remove(j);
            else es.set(j, remove(es.get(j), path, i + 1));
            return new ArrayValue(es);
        }
        throw new IllegalArgumentException("JSON patch path goes through a " + cur.typeName());
    }

}
