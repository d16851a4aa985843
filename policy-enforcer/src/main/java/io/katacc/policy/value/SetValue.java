package io.katacc.policy.value;

import java.util.Collection;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeSet;

/** A set of values, iterated in value order. */
public final class SetValue implements Value {
    public static final SetValue EMPTY = new SetValue(new TreeSet<>());

    private final NavigableSet<Value> elements;

    private SetValue(TreeSet<Value> elements) {
        this.elements = Collections.unmodifiableNavigableSet(elements);
    }

    public static SetValue of(Collection<? extends Value> vs) {
        return new SetValue(new TreeSet<>(vs));
    }

    public static SetValue of(Value... vs) {
        TreeSet<Value> t = new TreeSet<>();
        Collections.addAll(t, vs);
        return new SetValue(t);
    }

    /** Takes ownership of {@code t}: the caller must not modify it afterwards. */
    public static SetValue adopt(TreeSet<Value> t) {
        return new SetValue(t);
    }

    public NavigableSet<Value> elements() { return elements; }
    public int size() { return elements.size(); }
    public boolean contains(Value v) { return elements.contains(v); }

    @Override public int typeRank() { return 5; }
    @Override public String typeName() { return "set"; }

    @Override
    public boolean equals(Object o) {
        return o instanceof SetValue s && elements.equals(s.elements);
    }

    @Override public int hashCode() { return elements.hashCode(); }
    @Override public String toString() { return ValueFormat.json(this); }
}
