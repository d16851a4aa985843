package io.katacc.policy.builtin;

/** A registered builtin: its dotted name, arity (argument count) and implementation. */
public record BuiltinSpec(String name, int arity, Builtin fn) {
    public BuiltinSpec {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("builtin name is empty");
        if (arity < 0) throw new IllegalArgumentException("negative arity for " + name);
    }
}
