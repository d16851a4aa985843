package io.katacc.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.katacc.policy.ast.Literal;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.eval.Evaluator;
import io.katacc.policy.eval.Limits;
import io.katacc.policy.parse.Parser;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.Value;
import io.katacc.policy.value.ValueJson;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates queries against a policy. Thread-safe: each evaluation has its own state; parsed queries
 * are cached.
 */
public final class Engine {
    private final Policy policy;
    private final Evaluator evaluator;
    private final Map<String, List<Literal>> queries = new ConcurrentHashMap<>();

    public Engine(Policy policy) {
        this(policy, BuiltinRegistry.standard(), Limits.DEFAULT, false);
    }

    /** {@code strict}: builtin errors abort evaluation instead of making the expression undefined. */
    public Engine(Policy policy, BuiltinRegistry builtins, Limits limits, boolean strict) {
        this.policy = policy;
        this.evaluator = new Evaluator(policy.index(), builtins, limits, strict);
    }

    public Policy policy() {
        return policy;
    }

    /** Evaluates {@code query} (e.g. {@code data.agent_policy.CreateContainerRequest}) with JSON input and data. */
    public EvalResult evaluate(String query, JsonNode input, JsonNode data) {
        return evaluate(query, input == null ? null : ValueJson.fromJson(input),
                data == null ? ObjectValue.EMPTY : ValueJson.fromJson(data));
    }

    /** As {@link #evaluate(String, JsonNode, JsonNode)}; a null input means input is undefined. */
    public EvalResult evaluate(String query, Value input, Value data) {
        List<Literal> body = queries.computeIfAbsent(query, Parser::parseQuery);
        return evaluator.evaluate(body, input, data);
    }
}
