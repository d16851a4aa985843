package io.katacc.policy.value;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** An object with arbitrary value keys, iterated in key order. */
public final class ObjectValue implements Value {
    public static final ObjectValue EMPTY = new ObjectValue(new TreeMap<>());

    private final NavigableMap<Value, Value> fields;

    private ObjectValue(TreeMap<Value, Value> fields) {
        this.fields = Collections.unmodifiableNavigableMap(fields);
    }

    public static ObjectValue of(Map<? extends Value, ? extends Value> m) {
        return new ObjectValue(new TreeMap<>(m));
    }

    /** Takes ownership of {@code t}: the caller must not modify it afterwards. */
    public static ObjectValue adopt(TreeMap<Value, Value> t) {
        return new ObjectValue(t);
    }

    public NavigableMap<Value, Value> fields() { return fields; }
    public int size() { return fields.size(); }

    /** The value under {@code key}, or null when absent. */
    public Value get(Value key) { return fields.get(key); }

    public Value get(String key) { return fields.get(new StringValue(key)); }

    /** A copy with {@code key} set to {@code v}. */
    public ObjectValue with(Value key, Value v) {
        TreeMap<Value, Value> t = new TreeMap<>(fields);
        t.put(key, v);
        return new ObjectValue(t);
    }

    @Override public int typeRank() { return 6; }
    @Override public String typeName() { return "object"; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectValue ov && fields.equals(ov.fields);
    }

    @Override public int hashCode() { return fields.hashCode(); }
    @Override public String toString() { return ValueFormat.json(this); }
}
