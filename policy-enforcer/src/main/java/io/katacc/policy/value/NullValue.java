package io.katacc.policy.value;

public record NullValue() implements Value {
    static final NullValue INSTANCE = new NullValue();

    @Override public int typeRank() { return 0; }
    @Override public String typeName() { return "null"; }
    @Override public String toString() { return "null"; }
}
