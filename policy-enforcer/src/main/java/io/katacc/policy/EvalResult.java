package io.katacc.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.katacc.policy.value.Value;
import io.katacc.policy.value.ValueJson;

import java.util.List;
import java.util.Optional;

/**
 * Result of one query: every value it produced (empty when undefined) and the {@code print} lines
 * emitted while evaluating it.
 */
public record EvalResult(List<Value> values, List<String> prints) {
    public EvalResult {
        values = List.copyOf(values);
        prints = List.copyOf(prints);
    }

    public boolean isUndefined() {
        return values.isEmpty();
    }

    /** The first value, if defined. */
    public Optional<Value> value() {
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The first value as JSON, if defined. */
    public Optional<JsonNode> json() {
        return value().map(ValueJson::toJson);
    }
}
