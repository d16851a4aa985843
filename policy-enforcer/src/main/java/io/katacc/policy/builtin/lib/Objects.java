package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.Value;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** object.* and json.patch. */
final class Objects {
    private Objects() {}

    static void registerAll(BuiltinRegistry r) {
        r.register("object.keys", 1, (c, a) -> SetValue.of(Args.obj("object.keys", a, 0).fields().keySet()));
        r.register("object.get", 3, (c, a) -> {
            ObjectValue o = Args.obj("object.get", a, 0);
            if (!(a.get(1) instanceof ArrayValue path)) {
                Value v = o.get(a.get(1));
                return v == null ? a.get(2) : v;
            }
            Value cur = o;
            for (Value k : path.elements()) {
                Value next = child(cur, k);
                if (next == null) return a.get(2);
                cur = next;
            }
            return cur;
        });
        r.register("object.remove", 2, (c, a) -> {
            TreeMap<Value, Value> t = new TreeMap<>(Args.obj("object.remove", a, 0).fields());
            keys("object.remove", a.get(1)).forEach(t::remove);
            return ObjectValue.adopt(t);
        });
        r.register("object.filter", 2, (c, a) -> {
            ObjectValue o = Args.obj("object.filter", a, 0);
            TreeMap<Value, Value> t = new TreeMap<>();
            for (Value k : keys("object.filter", a.get(1))) {
                Value v = o.get(k);
                if (v != null) t.put(k, v);
            }
            return ObjectValue.adopt(t);
        });
        r.register("object.union", 2, (c, a) -> union(Args.obj("object.union", a, 0), Args.obj("object.union", a, 1)));
        r.register("object.union_n", 1, (c, a) -> {
            Value acc = ObjectValue.EMPTY;
            for (Value v : Args.arr("object.union_n", a, 0).elements()) {
                if (!(v instanceof ObjectValue o)) throw BuiltinError.type("object.union_n", 1, "array of objects", v);
                acc = union(acc, o);
            }
            return acc;
        });
        r.register("object.subset", 2, (c, a) -> Value.bool(subset(a.get(0), a.get(1))));
        r.register("json.patch", 2, (c, a) -> {
            return JsonPatch.apply(a.get(0), Args.arr("json.patch", a, 1));
        });
    }

    private static Value child(Value cur, Value k) {
        return switch (cur) {
            case ObjectValue o -> o.get(k);
            case SetValue s -> s.contains(k) ? k : null;
            case ArrayValue x -> {
                if (k instanceof NumberValue n && n.isInteger()) {
                    try {
                        int i = n.decimal().intValueExact();
                        yield i >= 0 && i < x.size() ? x.get(i) : null;
                    } catch (ArithmeticException e) {
                        yield null;
                    }
                }
                yield null;
            }
            default -> null;
        };
    }

    private static Collection<Value> keys(String fn, Value v) throws BuiltinError {
        return switch (v) {
            case ArrayValue x -> x.elements();
            case SetValue x -> x.elements();
            case ObjectValue x -> x.fields().keySet();
            default -> throw BuiltinError.type(fn, 2, "one of {array, object, set}", v);
        };
    }

    /** Recursive merge; on a conflict that is not two objects, the right side wins. */
    static Value union(Value l, Value r) {
        if (!(l instanceof ObjectValue lo) || !(r instanceof ObjectValue ro)) return r;
        TreeMap<Value, Value> t = new TreeMap<>(lo.fields());
        for (Map.Entry<Value, Value> e : ro.fields().entrySet()) {
            Value old = t.get(e.getKey());
            t.put(e.getKey(), old == null ? e.getValue() : union(old, e.getValue()));
        }
        return ObjectValue.adopt(t);
    }

    /** OPA's object.subset: objects recursively, arrays as contiguous sub-sequences, sets as subsets. */
    static boolean subset(Value sup, Value sub) throws BuiltinError {
        if (sup instanceof ObjectValue a && sub instanceof ObjectValue b) {
            for (Map.Entry<Value, Value> e : b.fields().entrySet()) {
                Value v = a.get(e.getKey());
                if (v == null) return false;
                if (v instanceof ObjectValue && e.getValue() instanceof ObjectValue) {
                    if (!subset(v, e.getValue())) return false;
                } else if (!v.equals(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (sup instanceof SetValue a && sub instanceof SetValue b) return a.elements().containsAll(b.elements());
        if (sup instanceof ArrayValue a && sub instanceof ArrayValue b) return java.util.Collections.indexOfSubList(a.elements(), b.elements()) >= 0;
        if (sup instanceof SetValue a && sub instanceof ArrayValue b) return a.elements().containsAll(b.elements());
        throw new BuiltinError(BuiltinError.Kind.TYPE, "object.subset: both arguments must be objects, arrays or sets, got "
                + sup.typeName() + " and " + sub.typeName());
    }

    static SetValue setOf(List<Value> vs) {
        return SetValue.adopt(new TreeSet<>(vs));
    }
}
