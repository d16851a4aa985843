package io.katacc.policy.value;

public record BoolValue(boolean value) implements Value {
    @Override public int typeRank() { return 1; }
    @Override public String typeName() { return "boolean"; }
    @Override public String toString() { return Boolean.toString(value); }
}
