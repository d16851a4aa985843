package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * RFC 6902 JSON Patch over Rego values, as OPA's json.patch: paths are JSON pointers or arrays of keys,
 * set members are addressed by value, and the whole patch fails if any operation fails (values are
 * immutable, so the input is never changed). Also what the agent policy applies to {@code data.pstate}.
 */
public final class JsonPatch {
    private JsonPatch() {}

    private static final String FN = "json.patch";

    /** Marks a removed root (the document is undefined until something is added at ""). */
    private static final Value REMOVED = null;

    public static Value apply(Value doc, ArrayValue ops) throws BuiltinError {
        Value cur = doc;
        for (Value opv : ops.elements()) {
            if (!(opv instanceof ObjectValue op)) throw error("each operation must be an object, got " + opv.typeName());
            String kind = op.get("op") instanceof StringValue s ? s.value() : null;
            if (kind == null) throw error("operation needs a string 'op'");
            List<Value> path = path(op, "path");
            cur = switch (kind) {
                case "add" -> add(cur, path, 0, need(op, "value"));
                case "remove" -> remove(cur, path, 0);
                case "replace" -> {
                    get(cur, path); // must exist
                    if (!path.isEmpty() && get(cur, path.subList(0, path.size() - 1)) instanceof SetValue) {
                        throw error("cannot replace a set member");
                    }
                    yield add(remove(cur, path, 0), path, 0, need(op, "value"));
                }
                case "move" -> {
                    List<Value> from = path(op, "from");
                    if (path.size() > from.size() && path.subList(0, from.size()).equals(from)) {
                        throw error("cannot move a value into its own child");
                    }
                    Value v = get(cur, from);
                    yield add(remove(cur, from, 0), path, 0, v);
                }
                case "copy" -> add(cur, path, 0, get(cur, path(op, "from")));
                case "test" -> {
                    if (!get(cur, path).equals(need(op, "value"))) throw error("test failed at " + path);
                    yield cur;
                }
                default -> throw error("unknown operation '" + kind + "'");
            };
        }
        if (cur == REMOVED) throw error("the patch removes the whole document");
        return cur;
    }

    /** A failed patch makes json.patch undefined, as in OPA. */
    private static BuiltinError error(String msg) {
        return Undefined.because(FN + ": " + msg);
    }

    private static Value need(ObjectValue op, String key) throws BuiltinError {
        Value v = op.get(key);
        if (v == null) throw error("operation needs '" + key + "'");
        return v;
    }

    /** A JSON pointer (RFC 6901) as string keys, or an array of keys used as they are. */
    private static List<Value> path(ObjectValue op, String key) throws BuiltinError {
        Value p = need(op, key);
        if (p instanceof ArrayValue a) return a.elements();
        if (!(p instanceof StringValue s)) throw error("'" + key + "' must be a string or an array, got " + p.typeName());
        List<Value> out = new ArrayList<>();
        if (s.value().isEmpty()) return out;
        if (!s.value().startsWith("/")) throw error("JSON pointer must start with '/': " + s.value());
        for (String t : s.value().substring(1).split("/", -1)) out.add(Value.str(t.replace("~1", "/").replace("~0", "~")));
        return out;
    }

    /** Array index from a key; {@code forAdd} allows "-" and size (append). */
    private static int index(ArrayValue a, Value key, boolean forAdd) throws BuiltinError {
        long i;
        if (key instanceof StringValue s) {
            if (forAdd && s.value().equals("-")) return a.size();
            if (!s.value().matches("0|[1-9][0-9]{0,9}")) throw error("bad array index '" + s.value() + "'");
            i = Long.parseLong(s.value());
        } else if (key instanceof NumberValue n && n.isInteger() && n.decimal().signum() >= 0 && n.decimal().precision() <= 10) {
            i = n.decimal().longValue();
        } else {
            throw error("bad array index " + key);
        }
        if (i > (forAdd ? a.size() : a.size() - 1)) throw error("array index " + i + " out of range");
        return (int) i;
    }

    private static Value get(Value cur, List<Value> path) throws BuiltinError {
        if (cur == REMOVED) throw error("the document was removed");
        Value v = cur;
        for (Value k : path) {
            v = switch (v) {
                case ObjectValue o -> o.get(k);
                case ArrayValue a -> a.get(index(a, k, false));
                case SetValue s -> s.contains(k) ? k : null;
                default -> null;
            };
            if (v == null) throw error("path not found: " + path);
        }
        return v;
    }

    private static Value add(Value cur, List<Value> path, int i, Value value) throws BuiltinError {
        if (i == path.size()) return value;
        if (cur == REMOVED) throw error("the document was removed");
        Value k = path.get(i);
        boolean last = i == path.size() - 1;
        switch (cur) {
            case ObjectValue o -> {
                Value child = o.get(k);
                if (!last && child == null) throw error("path not found: " + path);
                return o.with(k, add(child, path, i + 1, value));
            }
            case ArrayValue a -> {
                List<Value> xs = new ArrayList<>(a.elements());
                if (last) {
                    xs.add(index(a, k, true), value);
                } else {
                    int at = index(a, k, false);
                    xs.set(at, add(xs.get(at), path, i + 1, value));
                }
                return new ArrayValue(xs);
            }
            case SetValue s -> {
                TreeSet<Value> t = new TreeSet<>(s.elements());
                if (last) {
                    t.add(value);
                } else {
                    if (!t.remove(k)) throw error("set member not found: " + k);
                    t.add(add(k, path, i + 1, value));
                }
                return SetValue.adopt(t);
            }
            default -> throw error("cannot add below a " + cur.typeName());
        }
    }

    private static Value remove(Value cur, List<Value> path, int i) throws BuiltinError {
        if (cur == REMOVED) throw error("the document was removed");
        if (path.isEmpty()) return REMOVED;
        Value k = path.get(i);
        boolean last = i == path.size() - 1;
        switch (cur) {
            case ObjectValue o -> {
                Value child = o.get(k);
                if (child == null) throw error("path not found: " + path);
                TreeMap<Value, Value> t = new TreeMap<>(o.fields());
                if (last) t.remove(k);
                else t.put(k, remove(child, path, i + 1));
                return ObjectValue.adopt(t);
            }
            case ArrayValue a -> {
                List<Value> xs = new ArrayList<>(a.elements());
                int at = index(a, k, false);
                if (last) xs.remove(at);
                else xs.set(at, remove(xs.get(at), path, i + 1));
                return new ArrayValue(xs);
            }
            case SetValue s -> {
                TreeSet<Value> t = new TreeSet<>(s.elements());
                if (!t.remove(k)) throw error("set member not found: " + k);
                if (!last) t.add(remove(k, path, i + 1));
                return SetValue.adopt(t);
            }
            default -> throw error("path not found: " + path);
        }
    }
}
