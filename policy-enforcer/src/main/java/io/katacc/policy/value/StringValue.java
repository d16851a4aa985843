package io.katacc.policy.value;

import java.util.Objects;

public record StringValue(String value) implements Value {
    public StringValue {
        Objects.requireNonNull(value, "value");
    }

    @Override public int typeRank() { return 3; }
    @Override public String typeName() { return "string"; }
    @Override public String toString() { return ValueFormat.json(this); }
}
