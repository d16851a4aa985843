package io.katacc.policy.eval;

import io.katacc.policy.EvalResult;
import io.katacc.policy.ast.Literal;
import io.katacc.policy.ast.Term;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Runs queries: a single expression yields its values, otherwise each solution's variable bindings. */
public final class Evaluator {
    private final PolicyIndex index;
    private final BuiltinRegistry builtins;
    private final Limits limits;
    private final boolean strict;

    public Evaluator(PolicyIndex index, BuiltinRegistry builtins, Limits limits, boolean strict) {
        this.index = index;
        this.builtins = builtins;
        this.limits = limits;
        this.strict = strict;
    }

    public EvalResult evaluate(List<Literal> query, Value input, Value data) {
        Evaluation ev = new Evaluation(index, builtins, limits, strict, input, data);
        List<Value> out = new ArrayList<>();
        if (query.size() == 1 && query.getFirst() instanceof Literal.Expr e && !e.negated() && e.withs().isEmpty()
                && !(e.term() instanceof Term.Assign) && !(e.term() instanceof Term.Unify)) {
            ev.values(e.term(), null, v -> {
                out.add(v);
                return false;
            });
        } else {
            ev.query(query, null, env -> {
                TreeMap<Value, Value> b = new TreeMap<>();
                env.vars.forEach((k, v) -> {
                    if (!k.startsWith("_$")) b.put(new StringValue(k), v);
                });
                out.add(ObjectValue.adopt(b));
            });
        }
        return new EvalResult(out, ev.prints);
    }
}
