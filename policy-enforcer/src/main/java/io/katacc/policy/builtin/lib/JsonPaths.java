package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * json.filter and json.remove: paths are "a/b/0" strings or arrays of keys. Array indexes may be
 * numbers or numeric strings; set members are addressed by value.
 */
final class JsonPaths {
    private JsonPaths() {}

    /** A trie of paths; an empty node is a leaf (keep or remove the whole subtree). */
    private static final class Node {
        final TreeMap<Value, Node> children = new TreeMap<>();
        /** A whole path ends here: the subtree is kept (filter) or dropped (remove) entirely. */
        boolean leaf;

        TreeMap<Value, Node> children() { return children; }
    }

    static void registerAll(BuiltinRegistry r) {
        r.register("json.filter", 2, (c, a) -> {
            Value doc = Args.obj("json.filter", a, 0);
            Value out = filter(doc, trie("json.filter", a.get(1)));
            return out == null ? ObjectValue.EMPTY : out;
        });
        r.register("json.remove", 2, (c, a) -> {
            Value doc = Args.obj("json.filter", a, 0);
            Value out = remove(doc, trie("json.remove", a.get(1)));
            return out == null ? ObjectValue.EMPTY : out;
        });
    }

    private static Node trie(String fn, Value paths) throws BuiltinError {
        Collection<Value> ps = switch (paths) {
            case ArrayValue x -> x.elements();
            case SetValue x -> x.elements();
            default -> throw BuiltinError.type(fn, 2, "one of {array, set}", paths);
        };
        Node root = new Node();
        for (Value p : ps) {
            List<Value> keys = new ArrayList<>();
            switch (p) {
                case StringValue s -> {
                    for (String k : s.value().replaceAll("^/+", "").split("/", -1)) keys.add(Value.str(k));
                }
                case ArrayValue x -> keys.addAll(x.elements());
                default -> throw new BuiltinError(BuiltinError.Kind.TYPE, fn + ": paths must be strings or arrays, got " + p.typeName());
            }
            Node n = root;
            for (Value k : keys) n = n.children().computeIfAbsent(k, x -> new Node());
            n.leaf = true;
        }
        return root;
    }

    /** The child of {@code doc} under a path key, honouring array indexes given as strings. */
    private static Value keyFor(Value doc, Value k) {
        if (doc instanceof ArrayValue && k instanceof StringValue s) {
            try {
                return NumberValue.of(Long.parseLong(s.value()));
            } catch (NumberFormatException e) {
                return k;
            }
        }
        return k;
    }

    private static Value filter(Value doc, Node node) {
        if (node.leaf) return doc;
        switch (doc) {
            case ObjectValue o -> {
                TreeMap<Value, Value> out = new TreeMap<>();
                for (Map.Entry<Value, Node> e : node.children().entrySet()) {
                    Value v = o.get(e.getKey());
                    if (v != null) {
                        Value f = filter(v, e.getValue());
                        if (f != null) out.put(e.getKey(), f);
                    }
                }
                return ObjectValue.adopt(out);
            }
            case ArrayValue x -> {
                List<Value> out = new ArrayList<>();
                for (int i = 0; i < x.size(); i++) {
                    Node child = childFor(node, x, i);
                    if (child != null) {
                        Value f = filter(x.get(i), child);
                        if (f != null) out.add(f);
                    }
                }
                return new ArrayValue(out);
            }
            case SetValue s -> {
                TreeSet<Value> out = new TreeSet<>();
                for (Map.Entry<Value, Node> e : node.children().entrySet()) {
                    if (s.contains(e.getKey())) {
                        Value f = filter(e.getKey(), e.getValue());
                        if (f != null) out.add(f);
                    }
                }
                return SetValue.adopt(out);
            }
            default -> {
                return null;
            }
        }
    }

    /** Array elements are selected by string indexes only ("0"), as regorus does; numeric keys select nothing. */
    private static Node childFor(Node node, ArrayValue x, int i) {
        for (Map.Entry<Value, Node> e : node.children().entrySet()) {
            if (!(e.getKey() instanceof StringValue)) continue;
            Value k = keyFor(x, e.getKey());
            if (k.equals(NumberValue.of(i))) return e.getValue();
        }
        return null;
    }

    private static Value remove(Value doc, Node node) {
        if (node.leaf) return null;
        switch (doc) {
            case ObjectValue o -> {
                TreeMap<Value, Value> out = new TreeMap<>();
                for (Map.Entry<Value, Value> e : o.fields().entrySet()) {
                    Node child = node.children().get(e.getKey());
                    Value v = child == null ? e.getValue() : remove(e.getValue(), child);
                    if (v != null) out.put(e.getKey(), v);
                }
                return ObjectValue.adopt(out);
            }
            case ArrayValue x -> {
                List<Value> out = new ArrayList<>();
                for (int i = 0; i < x.size(); i++) {
                    Node child = childFor(node, x, i);
                    Value v = child == null ? x.get(i) : remove(x.get(i), child);
                    if (v != null) out.add(v);
                }
                return new ArrayValue(out);
            }
            case SetValue s -> {
                TreeSet<Value> out = new TreeSet<>();
                for (Value e : s.elements()) {
                    Node child = node.children().get(e);
                    Value v = child == null ? e : remove(e, child);
                    if (v != null) out.add(v);
                }
                return SetValue.adopt(out);
            }
            default -> {
                return doc;
            }
        }
    }
}
