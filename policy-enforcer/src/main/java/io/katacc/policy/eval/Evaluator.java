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

    /** Stack for one evaluation: the backtracking search recurses per body literal and per call. */
    static final long STACK_BYTES = 512L << 20;
    private static final ThreadLocal<Boolean> ON_EVAL_STACK = ThreadLocal.withInitial(() -> false);

    /**
     * Deep policies (Kata's) need more stack than a default thread has, so evaluations run on this
     * evaluator's own daemon thread with a large, lazily committed stack; callers wait for the result.
     */
    private final java.util.concurrent.ExecutorService deepStack = new java.util.concurrent.ThreadPoolExecutor(
            0, 1, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
            r -> Thread.ofPlatform().name("rego-eval").daemon().stackSize(STACK_BYTES).unstarted(() -> {
                ON_EVAL_STACK.set(true);
                r.run();
            })); // the thread exits after 30 s idle, so replaced engines leave nothing behind

    public EvalResult evaluate(List<Literal> query, Value input, Value data) {
        if (ON_EVAL_STACK.get()) return evaluateHere(query, input, data);
        java.util.concurrent.Future<EvalResult> f = deepStack.submit(() -> evaluateHere(query, input, data));
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new EvalError(EvalError.Code.LIMIT, "evaluation interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error er) throw er;
            throw new IllegalStateException(e.getCause());
        }
    }

    private EvalResult evaluateHere(List<Literal> query, Value input, Value data) {
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
