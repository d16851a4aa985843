package io.katacc.policy.eval;

import io.katacc.policy.ast.Literal;
import io.katacc.policy.ast.Module;
import io.katacc.policy.ast.Rule;
import io.katacc.policy.ast.Term;
import io.katacc.policy.builtin.BuiltinContext;
import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.builtin.BuiltinSpec;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.BoolValue;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;
import io.katacc.policy.value.ValueFormat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One query evaluation: backtracking search written in continuation-passing style. A continuation
 * returns true to stop the search (first solution found where only one is wanted).
 */
final class Evaluation {
    interface K { boolean run(); }
    interface VK { boolean apply(Value v); }
    interface EK { boolean apply(Value key, Value val); }

    private static final Optional<Value> UNDEFINED = Optional.empty();

    private final PolicyIndex index;
    private final BuiltinRegistry builtins;
    private final Limits limits;
    private final boolean strict;
    private final BuiltinContext ctx;
    final List<String> prints = new ArrayList<>();

    private Value input;      // null when undefined
    private Value data;       // base document (object)
    private Map<String, Optional<Value>> cache = new HashMap<>();
    private Map<String, Value> overrides = new HashMap<>();
    /** with-replacements of functions: key (rule key or builtin name) to a function name or a value. */
    private Map<String, Object> fnOverrides = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    private long steps;
    private int callDepth;

    Evaluation(PolicyIndex index, BuiltinRegistry builtins, Limits limits, boolean strict, Value input, Value data) {
        this.index = index;
        this.builtins = builtins;
        this.limits = limits;
        this.strict = strict;
        this.ctx = BuiltinContext.now();
        this.input = input;
        this.data = data == null ? ObjectValue.EMPTY : data;
    }

    // ---- queries

    /** Runs a query body; calls {@code onSolution} with the bindings for each solution. */
    void query(List<Literal> body, Module context, java.util.function.Consumer<Env> onSolution) {
        Env env = new Env(context);
        try {
            body(body, 0, env, () -> {
                onSolution.accept(env);
                return false;
            });
        } catch (StackOverflowError e) {
            throw new EvalError(EvalError.Code.LIMIT, "evaluation nested too deeply");
        }
    }

    /** All values of a term (used for queries that are a single expression). */
    void values(Term t, Module context, VK k) {
        Env env = new Env(context);
        try {
            term(t, env, k);
        } catch (StackOverflowError e) {
            throw new EvalError(EvalError.Code.LIMIT, "evaluation nested too deeply");
        }
    }

    // ---- bodies and literals

    private boolean body(List<Literal> body, int i, Env env, K k) {
        if (i == body.size()) return k.run();
        if (++steps > limits.maxSteps()) {
            throw new EvalError(EvalError.Code.LIMIT, "evaluation exceeded " + limits.maxSteps() + " steps");
        }
        Literal lit = body.get(i);
        K rest = () -> body(body, i + 1, env, k);
        return switch (lit) {
            case Literal.Expr e -> e.withs().isEmpty() ? exprLiteral(e, env, rest) : withLiteral(e, env, rest);
            case Literal.SomeVars s -> {
                for (String n : s.names()) {
                    env.locals.add(n);
                    env.vars.remove(n);
                }
                yield rest.run();
            }
            case Literal.SomeIn s -> {
                checkFresh(s.value(), env, "used before definition below");
                if (s.key() != null) checkFresh(s.key(), env, "used before definition below");
                yield someIn(s, env, rest);
            }
            case Literal.Every ev -> term(ev.coll(), env, coll -> {
                if (!isCollection(coll)) return false; // every over a scalar is undefined
                boolean all = !each(coll, (key, val) -> {
                    K check = () -> shadow(ev.value(), val, env, () -> body(ev.body(), 0, env, () -> true));
                    boolean ok = ev.key() == null ? check.run() : shadow(ev.key(), key, env, check);
                    return !ok; // stop at the first element without a solution
                });
                return all && rest.run();
            });
        };
    }

    private boolean someIn(Literal.SomeIn s, Env env, K rest) {
        return term(s.coll(), env, coll -> isCollection(coll) && checkArity(s.value(), coll) ? each(coll, (key, val) -> {
            declare(s.value(), env);
            if (s.key() != null) declare(s.key(), env);
            K bindVal = () -> bind(s.value(), val, env, true, rest);
            return s.key() == null ? bindVal.run() : bind(s.key(), key, env, true, bindVal);
        }) : notCollection(coll));
    }

    /** {@code some [a, b] in coll} where no element has that many items is an error, as in regorus. */
    private static boolean checkArity(Term pattern, Value coll) {
        if (!(pattern instanceof Term.ArrayLit a)) return true;
        boolean[] any = {false};
        boolean empty = !each(coll, (k, v) -> {
            any[0] = true;
            return v instanceof ArrayValue av && av.size() == a.items().size();
        });
        if (any[0] && empty) throw new EvalError(EvalError.Code.TYPE, "mismatch in number of array elements");
        return true;
    }

    /** A variable introduced by := or some must not already be bound in this scope. */
    private void checkFresh(Term t, Env env, String what) {
        switch (t) {
            case Term.Var v when env.vars.containsKey(v.name()) && !v.name().startsWith("_$") ->
                    throw new EvalError(EvalError.Code.COMPILE, "var `" + v.name() + "` " + what);
            case Term.ArrayLit a -> a.items().forEach(x -> checkFresh(x, env, what));
            case Term.ObjectLit o -> o.values().forEach(x -> checkFresh(x, env, what));
            default -> { }
        }
    }

    private static boolean isCollection(Value v) {
        return v instanceof ArrayValue || v instanceof SetValue || v instanceof ObjectValue;
    }

    private static boolean notCollection(Value v) {
        throw new EvalError(EvalError.Code.TYPE, "`some .. in collection` expects array/set/object, got " + v.typeName());
    }

    /** Binds a fresh variable that hides any outer binding of the same name (every's key/value). */
    private boolean shadow(Term t, Value v, Env env, K k) {
        if (!(t instanceof Term.Var var)) return bind(t, v, env, true, k);
        Value old = env.vars.put(var.name(), v);
        boolean wasLocal = env.locals.add(var.name());
        try {
            return k.run();
        } finally {
            if (old != null) env.vars.put(var.name(), old);
            else env.vars.remove(var.name());
            if (wasLocal) env.locals.remove(var.name());
        }
    }

    private void declare(Term t, Env env) {
        if (t instanceof Term.Var v) {
            env.locals.add(v.name());
        } else if (t instanceof Term.ArrayLit a) {
            for (Term x : a.items()) declare(x, env);
        } else if (t instanceof Term.ObjectLit o) {
            for (Term x : o.values()) declare(x, env);
        }
    }

    private boolean exprLiteral(Literal.Expr e, Env env, K k) {
        if (e.negated()) {
            boolean found = expr(e.term(), env, () -> true);
            return !found && k.run();
        }
        return expr(e.term(), env, k);
    }

    private boolean expr(Term t, Env env, K k) {
        return switch (t) {
            case Term.Assign a -> {
                checkFresh(a.left(), env, "assigned above");
                declare(a.left(), env);
                yield term(a.right(), env, v -> bind(a.left(), v, env, true, k));
            }
            case Term.Unify u -> unify(u.left(), u.right(), env, k);
            case Term.Call c when c.name().equals("print") -> print(c, env) && false || k.run();
            case Term.Call c -> call(c, env, v -> !(v instanceof BoolValue b && !b.value()) && k.run());
            default -> term(t, env, v -> !(v instanceof BoolValue b && !b.value()) && k.run());
        };
    }

    private boolean withLiteral(Literal.Expr e, Env env, K k) {
        Value savedInput = input, savedData = data;
        Map<String, Optional<Value>> savedCache = cache;
        Map<String, Value> savedOverrides = overrides;
        Value newInput = input, newData = data;
        Map<String, Value> newOverrides = new HashMap<>(overrides);
        Map<String, Object> savedFn = fnOverrides;
        Map<String, Object> newFn = new HashMap<>(fnOverrides);
        for (Literal.With w : e.withs()) {
            String fnKey = functionKey(w.target(), env);
            if (fnKey != null) {
                String repl = functionKey(w.value(), env);
                if (repl != null) {
                    newFn.put(fnKey, new FnRef(repl));
                } else {
                    Value v = first(w.value(), env);
                    if (v == null) return false;
                    newFn.put(fnKey, v);
                }
                continue;
            }
            Value v = first(w.value(), env);
            if (v == null) return false;
            List<String> path = withPath(expandImport(w.target(), env), env);
            if (path.getFirst().equals("input")) {
                newInput = path.size() == 1 ? v : put(newInput == null ? ObjectValue.EMPTY : newInput, path, 1, v);
            } else if (path.getFirst().equals("data")) {
                newData = put(newData, path, 1, v);
                newOverrides.put(String.join(".", path.subList(1, path.size())), v);
            } else {
                throw new EvalError(EvalError.Code.UNSUPPORTED, "with target must be input or data, not " + path.getFirst());
            }
        }
        Value ni = newInput, nd = newData;
        Runnable apply = () -> {
            input = ni;
            data = nd;
            overrides = newOverrides;
            fnOverrides = newFn;
            cache = new HashMap<>();
        };
        Map<String, Optional<Value>>[] withCache = new Map[1];
        Runnable restore = () -> {
            withCache[0] = cache;
            input = savedInput;
            data = savedData;
            overrides = savedOverrides;
            fnOverrides = savedFn;
            cache = savedCache;
        };
        apply.run();
        try {
            Literal.Expr plain = new Literal.Expr(e.term(), e.negated(), List.of(), e.line());
            return exprLiteral(plain, env, () -> {
                restore.run();
                try {
                    return k.run();
                } finally {
                    input = ni;
                    data = nd;
                    overrides = newOverrides;
                    fnOverrides = newFn;
                    cache = withCache[0];
                }
            });
        } finally {
            input = savedInput;
            data = savedData;
            overrides = savedOverrides;
            fnOverrides = savedFn;
            cache = savedCache;
        }
    }

    /** A function named by a with target/value: "fn:" + rule key, or "builtin:" + name; null if none. */
    private String functionKey(Term t, Env env) {
        String name = dottedName(t);
        if (name == null) return null;
        RuleSet rs = resolveFunction(name, env);
        if (rs != null) return "fn:" + rs.key;
        if (name.startsWith("data.")) {
            int last = name.lastIndexOf('.');
            RuleSet r2 = index.lookup(name.substring(5, Math.max(5, last)), name.substring(last + 1));
            if (r2 != null && r2.isFunction()) return "fn:" + r2.key;
        }
        if (!name.startsWith("data.") && !name.startsWith("input") && builtins.contains(name)
                && (env.module == null || !env.module.imports().containsKey(name.split("\\.")[0]))) {
            return "builtin:" + name;
        }
        return null;
    }

    private static String dottedName(Term t) {
        if (t instanceof Term.Var v) return v.name();
        if (t instanceof Term.Ref r && r.head() instanceof Term.Var v) {
            StringBuilder sb = new StringBuilder(v.name());
            for (Term e : r.path()) {
                if (e instanceof Term.Scalar sc && sc.value() instanceof StringValue sv) sb.append('.').append(sv.value());
                else return null;
            }
            return sb.toString();
        }
        return null;
    }

    /** Rewrites a reference whose head is an import alias into the imported path. */
    private static Term expandImport(Term t, Env env) {
        if (env.module == null) return t;
        Term head = t instanceof Term.Ref r ? r.head() : t;
        if (head instanceof Term.Var v && !v.name().equals("input") && !v.name().equals("data")
                && env.module.imports().get(v.name()) instanceof Term imp) {
            Term.Ref base = imp instanceof Term.Ref ir ? ir : new Term.Ref(imp, List.of());
            List<Term> path = new ArrayList<>(base.path());
            if (t instanceof Term.Ref r) path.addAll(r.path());
            return new Term.Ref(base.head(), path);
        }
        return t;
    }

    private record FnRef(String key) {}

    private List<String> withPath(Term target, Env env) {
        List<String> path = new ArrayList<>();
        Term head = target instanceof Term.Ref r ? r.head() : target;
        if (!(head instanceof Term.Var v)) throw new EvalError(EvalError.Code.UNSUPPORTED, "invalid with target");
        path.add(v.name());
        if (target instanceof Term.Ref r) {
            for (Term p : r.path()) {
                Value kv = first(p, env);
                if (!(kv instanceof StringValue s)) throw new EvalError(EvalError.Code.UNSUPPORTED, "with target path must be strings");
                path.add(s.value());
            }
        }
        return path;
    }

    private static Value put(Value base, List<String> path, int i, Value v) {
        if (i == path.size()) return v;
        ObjectValue o = base instanceof ObjectValue ob ? ob : ObjectValue.EMPTY;
        Value child = o.get(path.get(i));
        return o.with(Value.str(path.get(i)), put(child, path, i + 1, v));
    }

    private boolean print(Term.Call c, Env env) {
        StringBuilder sb = new StringBuilder();
        sb.append(env.module == null ? "query" : env.module.file()).append(':').append(c.line()).append(':');
        for (Term a : c.args()) {
            Value v;
            try {
                v = first(a, env);
            } catch (EvalError ex) {
                v = null;
            }
            sb.append(' ').append(v == null ? "<undefined>" : ValueFormat.display(v));
        }
        prints.add(sb.toString());
        return true;
    }

    /** The first value of a term, or null when undefined. */
    private Value first(Term t, Env env) {
        Value[] out = new Value[1];
        term(t, env, v -> {
            out[0] = v;
            return true;
        });
        return out[0];
    }

    // ---- unification

    private boolean unify(Term l, Term r, Env env, K k) {
        checkShapes(l, r);
        if (bindable(l, env)) {
            if (bindable(r, env) && l instanceof Term.Var && r instanceof Term.Var) {
                throw new EvalError(EvalError.Code.UNSAFE_VAR, "var " + ((Term.Var) l).name() + " is unsafe");
            }
            return term(r, env, v -> bind(l, v, env, false, k));
        }
        if (bindable(r, env)) return term(l, env, v -> bind(r, v, env, false, k));
        return term(l, env, a -> term(r, env, b -> a.equals(b) && k.run()));
    }

    /** Two literal patterns that can never unify are a compile-time error in OPA and regorus. */
    private static void checkShapes(Term l, Term r) {
        boolean la = l instanceof Term.ArrayLit, ra = r instanceof Term.ArrayLit;
        boolean lo = l instanceof Term.ObjectLit, ro = r instanceof Term.ObjectLit;
        if ((la && ro) || (lo && ra)) {
            throw new EvalError(EvalError.Code.TYPE, "incompatible destructuring patterns: both sides must be arrays or objects with matching structure");
        }
        if (la && ra) {
            List<Term> x = ((Term.ArrayLit) l).items(), y = ((Term.ArrayLit) r).items();
            if (x.size() != y.size()) throw new EvalError(EvalError.Code.TYPE, "mismatch in number of array elements");
            for (int i = 0; i < x.size(); i++) checkShapes(x.get(i), y.get(i));
        }
        if (lo && ro) {
            List<Term> x = ((Term.ObjectLit) l).keys(), y = ((Term.ObjectLit) r).keys();
            if (x.size() != y.size()) throw new EvalError(EvalError.Code.TYPE, "mismatch in number of object keys");
            if (x.stream().allMatch(t -> t instanceof Term.Scalar) && y.stream().allMatch(t -> t instanceof Term.Scalar)
                    && !new java.util.HashSet<>(x).equals(new java.util.HashSet<>(y))) {
                throw new EvalError(EvalError.Code.TYPE, "object literal keys do not match");
            }
        }
    }

    /** True when the term contains a variable that is not yet bound (so it can receive a value). */
    private boolean bindable(Term t, Env env) {
        return switch (t) {
            case Term.Var v -> isUnbound(v.name(), env);
            case Term.ArrayLit a -> a.items().stream().anyMatch(x -> bindable(x, env));
            case Term.ObjectLit o -> o.values().stream().anyMatch(x -> bindable(x, env));
            default -> false;
        };
    }

    private boolean isUnbound(String name, Env env) {
        if (env.vars.containsKey(name)) return false;
        if (name.startsWith("_$") || env.locals.contains(name)) return true;
        if (name.equals("input") || name.equals("data")) return false;
        if (env.module != null && env.module.imports().containsKey(name)) return false;
        return index.lookup(env.pkg, name) == null && !index.isPrefix(env.pkg, name);
    }

    /** Matches {@code pattern} against {@code v}, binding its unbound variables. */
    private boolean bind(Term pattern, Value v, Env env, boolean local, K k) {
        switch (pattern) {
            case Term.Var var -> {
                String n = var.name();
                if (n.startsWith("_$")) return k.run();
                Value cur = env.vars.get(n);
                if (cur != null) return cur.equals(v) && k.run();
                if (!local && !isUnbound(n, env)) return term(pattern, env, pv -> pv.equals(v) && k.run());
                env.vars.put(n, v);
                try {
                    return k.run();
                } finally {
                    env.vars.remove(n);
                }
            }
            case Term.ArrayLit a -> {
                if (!(v instanceof ArrayValue av) || av.size() != a.items().size()) return false;
                return bindAll(a.items(), av.elements(), 0, env, local, k);
            }
            case Term.ObjectLit o -> {
                if (!(v instanceof ObjectValue ov) || ov.size() != o.keys().size()) return false;
                List<Value> vals = new ArrayList<>();
                for (Term kt : o.keys()) {
                    Value key = first(kt, env);
                    Value x = key == null ? null : ov.get(key);
                    if (x == null) return false;
                    vals.add(x);
                }
                return bindAll(o.values(), vals, 0, env, local, k);
            }
            default -> {
                return term(pattern, env, pv -> pv.equals(v) && k.run());
            }
        }
    }

    private boolean bindAll(List<Term> ps, List<Value> vs, int i, Env env, boolean local, K k) {
        if (i == ps.size()) return k.run();
        return bind(ps.get(i), vs.get(i), env, local, () -> bindAll(ps, vs, i + 1, env, local, k));
    }

    // ---- terms

    private boolean term(Term t, Env env, VK k) {
        return switch (t) {
            case Term.Scalar s -> k.apply(s.value());
            case Term.Var v -> var(v.name(), env, k);
            case Term.Ref r -> ref(r, env, k);
            case Term.ArrayLit a -> list(a.items(), 0, new Value[a.items().size()], env,
                    vs -> k.apply(new ArrayValue(List.of(vs))));
            case Term.SetLit s -> list(s.items(), 0, new Value[s.items().size()], env,
                    vs -> k.apply(SetValue.of(vs)));
            case Term.ObjectLit o -> objectLit(o, env, k);
            case Term.ArrayCompr c -> {
                List<Value> out = new ArrayList<>();
                body(c.body(), 0, env, () -> term(c.head(), env, v -> {
                    out.add(v);
                    return false;
                }));
                yield k.apply(new ArrayValue(out));
            }
            case Term.SetCompr c -> {
                TreeSet<Value> out = new TreeSet<>();
                body(c.body(), 0, env, () -> term(c.head(), env, v -> {
                    out.add(v);
                    return false;
                }));
                yield k.apply(SetValue.adopt(out));
            }
            case Term.ObjectCompr c -> {
                TreeMap<Value, Value> out = new TreeMap<>();
                body(c.body(), 0, env, () -> term(c.key(), env, key -> term(c.value(), env, val -> {
                    Value prev = out.putIfAbsent(key, val);
                    if (prev != null && !prev.equals(val)) {
                        throw new EvalError(EvalError.Code.CONFLICT, "object keys must be unique: " + key.toJson());
                    }
                    return false;
                })));
                yield k.apply(ObjectValue.adopt(out));
            }
            case Term.Call c when c.name().equals("print") -> {
                print(c, env);
                yield k.apply(Value.TRUE);
            }
            case Term.Call c -> call(c, env, k);
            case Term.Binary b -> term(b.left(), env, x -> term(b.right(), env, y -> {
                Value r;
                try {
                    r = Operators.apply(b.op(), x, y);
                } catch (BuiltinError e) {
                    return builtinFailed(e);
                }
                return k.apply(r);
            }));
            case Term.Neg n -> term(n.operand(), env, x -> {
                if (!(x instanceof NumberValue nv)) {
                    return builtinFailed(BuiltinError.type("minus", 1, "number", x));
                }
                return k.apply(NumberValue.of(nv.decimal().negate()));
            });
            case Term.Membership m -> term(m.coll(), env, coll -> term(m.value(), env, val -> {
                if (m.key() == null) return k.apply(Value.bool(contains(coll, val)));
                return term(m.key(), env, key -> k.apply(Value.bool(val.equals(index(coll, key)))));
            }));
            case Term.Assign a -> throw new EvalError(EvalError.Code.COMPILE, "assignment := used inside an expression");
            case Term.Unify u -> unify(u.left(), u.right(), env, () -> k.apply(Value.TRUE));
        };
    }

    private static boolean contains(Value coll, Value v) {
        return switch (coll) {
            case ArrayValue a -> a.elements().contains(v);
            case SetValue s -> s.contains(v);
            case ObjectValue o -> o.fields().containsValue(v);
            default -> false;
        };
    }

    private boolean builtinFailed(BuiltinError e) {
        if (strict && e.kind() != BuiltinError.Kind.UNDEFINED) {
            throw new EvalError(e.kind() == BuiltinError.Kind.TYPE ? EvalError.Code.TYPE : EvalError.Code.BUILTIN, e.getMessage());
        }
        return false;
    }

    private boolean list(List<Term> items, int i, Value[] acc, Env env, java.util.function.Predicate<Value[]> k) {
        if (i == items.size()) return k.test(acc.clone());
        return term(items.get(i), env, v -> {
            acc[i] = v;
            return list(items, i + 1, acc, env, k);
        });
    }

    private boolean objectLit(Term.ObjectLit o, Env env, VK k) {
        List<Term> all = new ArrayList<>(o.keys());
        all.addAll(o.values());
        int n = o.keys().size();
        return list(all, 0, new Value[all.size()], env, vs -> {
            TreeMap<Value, Value> m = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                Value prev = m.put(vs[i], vs[n + i]);
                if (prev != null && !prev.equals(vs[n + i])) {
                    throw new EvalError(EvalError.Code.CONFLICT, "object keys must be unique: " + vs[i].toJson());
                }
            }
            return k.apply(ObjectValue.adopt(m));
        });
    }

    private boolean var(String name, Env env, VK k) {
        Value v = env.vars.get(name);
        if (v != null) return k.apply(v);
        if (name.startsWith("_$") || env.locals.contains(name)) {
            throw new EvalError(EvalError.Code.UNSAFE_VAR, "var " + (name.startsWith("_$") ? "_" : name) + " is unsafe");
        }
        if (name.equals("input")) return input != null && k.apply(input);
        if (name.equals("data")) return dataRef(List.of(), 0, new ArrayList<>(), env, k);
        RuleSet rs = index.lookup(env.pkg, name);
        if (rs != null) { // a rule takes precedence over an import alias of the same name, as in regorus
            Optional<Value> rv = ruleValue(rs);
            return rv.isPresent() && k.apply(rv.get());
        }
        if (env.module != null) {
            Term imp = env.module.imports().get(name);
            if (imp != null) return term(imp, env, k);
        }
        if (index.isPrefix(env.pkg, name)) {
            List<String> prefix = new ArrayList<>(env.module.pkg());
            prefix.add(name);
            return dataRef(List.of(), 0, prefix, env, k);
        }
        throw new EvalError(EvalError.Code.UNSAFE_VAR, "var " + name + " is unsafe");
    }

    private boolean ref(Term.Ref r, Env env, VK k) {
        if (r.head() instanceof Term.Var v) {
            String name = v.name();
            if (!env.vars.containsKey(name) && !env.locals.contains(name)) {
                if (name.equals("data")) return dataRef(r.path(), 0, new ArrayList<>(), env, k);
                if (name.equals("input")) return input != null && walk(input, r.path(), 0, env, k);
                if (env.module != null && index.lookup(env.pkg, name) == null) {
                    Term imp = env.module.imports().get(name);
                    if (imp != null) {
                        Term.Ref base = imp instanceof Term.Ref ir ? ir : new Term.Ref(imp, List.of());
                        List<Term> path = new ArrayList<>(base.path());
                        path.addAll(r.path());
                        return ref(new Term.Ref(base.head(), path), env, k);
                    }
                }
                RuleSet rs = index.lookup(env.pkg, name);
                if ((rs != null && !rs.isFunction()) || (rs == null && index.isPrefix(env.pkg, name))) {
                    List<Term> path = new ArrayList<>();
                    path.add(new Term.Scalar(Value.str(name)));
                    path.addAll(r.path());
                    List<String> prefix = new ArrayList<>(env.module.pkg());
                    return dataRef(path, 0, prefix, env, k);
                }
            }
        }
        return term(r.head(), env, h -> walk(h, r.path(), 0, env, k));
    }

    private boolean walk(Value cur, List<Term> path, int i, Env env, VK k) {
        if (i == path.size()) return k.apply(cur);
        Term elem = path.get(i);
        if (bindable(elem, env)) {
            return each(cur, (key, child) -> bind(elem, key, env, false, () -> walk(child, path, i + 1, env, k)));
        }
        return term(elem, env, key -> {
            Value child = index(cur, key);
            return child != null && walk(child, path, i + 1, env, k);
        });
    }

    static Value index(Value cur, Value key) {
        return switch (cur) {
            case ArrayValue a -> {
                if (key instanceof NumberValue n && n.isInteger()) {
                    BigDecimal d = n.decimal();
                    if (d.signum() >= 0 && d.compareTo(BigDecimal.valueOf(a.size())) < 0) yield a.get(d.intValue());
                }
                yield null;
            }
            case ObjectValue o -> o.get(key);
            case SetValue s -> s.contains(key) ? key : null;
            default -> null;
        };
    }

    /** Iterates (key, value) pairs of a collection; returns true if the callback stopped it. */
    static boolean each(Value coll, EK k) {
        switch (coll) {
            case ArrayValue a -> {
                List<Value> es = a.elements();
                for (int i = 0; i < es.size(); i++) if (k.apply(NumberValue.of(i), es.get(i))) return true;
            }
            case SetValue s -> {
                for (Value e : s.elements()) if (k.apply(e, e)) return true;
            }
            case ObjectValue o -> {
                for (Map.Entry<Value, Value> e : o.fields().entrySet()) if (k.apply(e.getKey(), e.getValue())) return true;
            }
            default -> { }
        }
        return false;
    }

    // ---- data document: base data merged with rules

    private boolean dataRef(List<Term> path, int i, List<String> prefix, Env env, VK k) {
        String key = String.join(".", prefix);
        Value ov = overrides.get(key);
        if (ov != null && !prefix.isEmpty()) return walk(ov, path, i, env, k);
        if (!prefix.isEmpty()) {
            RuleSet rs = index.lookup(String.join(".", prefix.subList(0, prefix.size() - 1)), prefix.getLast());
            if (rs != null && rs.isFunction()) {
                throw new EvalError(EvalError.Code.COMPILE, "function " + rs.key + " must be called with arguments");
            }
            if (rs != null) {
                Value base = baseAt(prefix); // data documents win over rules at the same path, as in regorus
                if (base != null) return walk(base, path, i, env, k);
                Optional<Value> v = ruleValue(rs);
                return v.isPresent() && walk(v.get(), path, i, env, k);
            }
        }
        if (!index.packagePrefixes.contains(key)) {
            Value base = data;
            for (String s : prefix) {
                base = index(base, Value.str(s));
                if (base == null) return false;
            }
            return walk(base, path, i, env, k);
        }
        if (i == path.size()) return k.apply(materialize(prefix));
        Term elem = path.get(i);
        if (bindable(elem, env)) return walk(materialize(prefix), path, i, env, k);
        return term(elem, env, kv -> {
            if (!(kv instanceof StringValue s)) return false;
            prefix.add(s.value());
            try {
                return dataRef(path, i + 1, prefix, env, k);
            } finally {
                prefix.removeLast();
            }
        });
    }

    private Value baseAt(List<String> prefix) {
        Value base = data;
        for (String s : prefix) {
            base = index(base, Value.str(s));
            if (base == null) return null;
        }
        return base;
    }

    /** The full virtual document at a package prefix: base data plus every rule beneath it. */
    private Value materialize(List<String> prefix) {
        Value base = data;
        for (String s : prefix) {
            base = base == null ? null : index(base, Value.str(s));
        }
        TreeMap<Value, Value> out = base instanceof ObjectValue o ? new TreeMap<>(o.fields()) : new TreeMap<>();
        String key = String.join(".", prefix);
        for (Map.Entry<String, Map<String, RuleSet>> pkg : index.packages.entrySet()) {
            String p = pkg.getKey();
            if (!(key.isEmpty() || p.equals(key) || p.startsWith(key + "."))) continue;
            List<String> rel = new ArrayList<>(key.isEmpty() ? List.of(p.split("\\.")) :
                    p.equals(key) ? List.of() : List.of(p.substring(key.length() + 1).split("\\.")));
            if (!rel.isEmpty()) ensurePath(out, rel, 0); // a package (or ref-head prefix) of functions only is {}
            for (RuleSet rs : pkg.getValue().values()) {
                if (rs.isFunction()) continue;
                Optional<Value> v = ruleValue(rs);
                if (v.isEmpty()) continue;
                List<String> at = new ArrayList<>(rel);
                at.add(rs.name);
                putPath(out, at, 0, v.get());
            }
        }
        return ObjectValue.adopt(out);
    }

    private static void ensurePath(TreeMap<Value, Value> m, List<String> path, int i) {
        Value k = Value.str(path.get(i));
        Value child = m.get(k);
        if (child != null && !(child instanceof ObjectValue)) return;
        TreeMap<Value, Value> cm = child == null ? new TreeMap<>() : new TreeMap<>(((ObjectValue) child).fields());
        if (i + 1 < path.size()) ensurePath(cm, path, i + 1);
        m.put(k, ObjectValue.adopt(cm));
    }

    private static void putPath(TreeMap<Value, Value> m, List<String> path, int i, Value v) {
        Value k = Value.str(path.get(i));
        if (i == path.size() - 1) {
            m.put(k, v);
            return;
        }
        Value child = m.get(k);
        TreeMap<Value, Value> cm = child instanceof ObjectValue o ? new TreeMap<>(o.fields()) : new TreeMap<>();
        putPath(cm, path, i + 1, v);
        m.put(k, ObjectValue.adopt(cm));
    }

    // ---- rules

    Optional<Value> ruleValue(RuleSet rs) {
        Value ov = overrides.get(rs.key);
        if (ov != null) return Optional.of(ov);
        Optional<Value> cached = cache.get(rs.key);
        if (cached != null) return cached;
        if (!inProgress.add(rs.key)) {
            throw new EvalError(EvalError.Code.RECURSION, "rule " + rs.key + " is recursive");
        }
        enterCall();
        try {
            Optional<Value> v = computeRule(rs);
            cache.put(rs.key, v);
            return v;
        } finally {
            callDepth--;
            inProgress.remove(rs.key);
        }
    }

    private void enterCall() {
        if (++callDepth > limits.maxCallDepth()) {
            callDepth--;
            throw new EvalError(EvalError.Code.LIMIT, "rule/function calls nested deeper than " + limits.maxCallDepth());
        }
    }

    private Optional<Value> computeRule(RuleSet rs) {
        switch (rs.kind) {
            case PARTIAL_SET -> {
                TreeSet<Value> out = new TreeSet<>();
                for (int d = 0; d < rs.defs.size(); d++) {
                    Rule r = rs.defs.get(d);
                    Env env = new Env(rs.modules.get(d));
                    boolean constHead = r.keys().getFirst() instanceof Term.Scalar;
                    body(r.body(), 0, env, () -> term(r.keys().getFirst(), env, v -> {
                        out.add(v);
                        return constHead;
                    }));
                }
                return Optional.of(SetValue.adopt(out));
            }
            case PARTIAL_OBJECT -> {
                TreeMap<Value, Value> out = new TreeMap<>();
                for (int d = 0; d < rs.defs.size(); d++) {
                    Rule r = rs.defs.get(d);
                    Env env = new Env(rs.modules.get(d));
                    boolean constHead = r.value() instanceof Term.Scalar && r.keys().stream().allMatch(t -> t instanceof Term.Scalar);
                    body(r.body(), 0, env, () -> list(r.keys(), 0, new Value[r.keys().size()], env,
                            ks -> term(r.value(), env, val -> {
                                putNested(out, ks, 0, val, rs);
                                return constHead; // a constant head cannot change: stop early, as regorus
                            })));
                }
                return Optional.of(ObjectValue.adopt(out));
            }
            case COMPLETE -> {
                Value result = null;
                for (int d = 0; d < rs.defs.size(); d++) {
                    Env env = new Env(rs.modules.get(d));
                    Value v = firstValue(rs.defs.get(d), env);
                    if (v == null) continue;
                    if (result != null && !result.equals(v)) {
                        throw new EvalError(EvalError.Code.CONFLICT, "complete rules must not produce multiple outputs: " + rs.key);
                    }
                    result = v;
                }
                if (result == null && rs.defaultRule != null) {
                    result = first(rs.defaultRule.value(), new Env(rs.defaultModule));
                }
                return Optional.ofNullable(result);
            }
            default -> throw new EvalError(EvalError.Code.COMPILE, "function " + rs.key + " used without arguments");
        }
    }

    private static void putNested(TreeMap<Value, Value> m, Value[] ks, int i, Value val, RuleSet rs) {
        if (i == ks.length - 1) {
            Value prev = m.putIfAbsent(ks[i], val);
            if (prev != null && !prev.equals(val)) {
                throw new EvalError(EvalError.Code.CONFLICT, "object keys must be unique: rule " + rs.key
                        + " produces conflicting values for key " + ks[i].toJson());
            }
            return;
        }
        Value child = m.get(ks[i]);
        if (child != null && !(child instanceof ObjectValue)) {
            throw new EvalError(EvalError.Code.CONFLICT, "rule " + rs.key + " produces conflicting values for key " + ks[i].toJson());
        }
        TreeMap<Value, Value> cm = child == null ? new TreeMap<>() : new TreeMap<>(((ObjectValue) child).fields());
        putNested(cm, ks, i + 1, val, rs);
        m.put(ks[i], ObjectValue.adopt(cm));
    }

    /**
     * Every solution of a function body (then its else chain); as regorus does, the search does not
     * stop at the first solution, and solutions with different outputs are a conflict.
     */
    private Value allValues(Rule r, Env env, RuleSet fn) {
        for (Rule cur = r; cur != null; cur = cur.elseRule()) {
            Value[] out = new Value[1];
            Rule c = cur;
            body(c.body(), 0, env, () -> term(c.value(), env, v -> {
                if (out[0] != null && !out[0].equals(v)) {
                    throw new EvalError(EvalError.Code.CONFLICT,
                            "functions must not produce multiple outputs for same inputs: " + fn.key);
                }
                out[0] = v;
                return false;
            }));
            if (out[0] != null) return out[0];
        }
        return null;
    }

    /** First solution of a rule body (then its else chain) and the head value it yields. */
    private Value firstValue(Rule r, Env env) {
        for (Rule cur = r; cur != null; cur = cur.elseRule()) {
            Value[] out = new Value[1];
            Rule c = cur;
            body(c.body(), 0, env, () -> term(c.value(), env, v -> {
                out[0] = v;
                return true;
            }));
            if (out[0] != null) return out[0];
        }
        return null;
    }

    // ---- calls

    private boolean call(Term.Call c, Env env, VK k) {
        RuleSet fn = resolveFunction(c.name(), env);
        if (!fnOverrides.isEmpty()) {
            String key = fn != null ? "fn:" + fn.key : "builtin:" + c.name();
            Object o = fnOverrides.get(key);
            if (o instanceof Value v) {
                return list(c.args(), 0, new Value[c.args().size()], env, vs -> k.apply(v));
            }
            if (o instanceof FnRef ref) {
                String target = ref.key();
                if (target.startsWith("fn:")) {
                    String full = target.substring(3);
                    int last = full.lastIndexOf('.');
                    fn = index.lookup(last < 0 ? "" : full.substring(0, last), full.substring(last + 1));
                } else {
                    return call(new Term.Call(target.substring(8), c.args(), c.line()), env, k);
                }
            }
        }
        return callResolved(c, fn, env, k);
    }

    private boolean callResolved(Term.Call c, RuleSet fn, Env env, VK k) {
        if (fn != null) {
            int n = fn.defs.isEmpty() ? fn.defaultRule.args().size() : fn.defs.getFirst().args().size();
            boolean hasOut = c.args().size() == n + 1;
            if (c.args().size() != n && !hasOut) {
                throw new EvalError(EvalError.Code.TYPE, "function " + c.name() + " takes " + n + " arguments, got " + c.args().size());
            }
            return list(c.args().subList(0, n), 0, new Value[n], env, vs -> {
                Value r = callUser(fn, vs);
                if (r == null) return false;
                return hasOut ? bind(c.args().get(n), r, env, false, () -> k.apply(Value.TRUE)) : k.apply(r);
            });
        }
        BuiltinSpec spec = builtins.lookup(c.name()).orElseThrow(() ->
                new EvalError(EvalError.Code.COMPILE, "unknown function " + c.name()));
        int n = spec.arity();
        // an extra last argument receives the result (OPA's output form), so it must be a fresh variable
        boolean hasOut = c.args().size() == n + 1 && c.args().get(n) instanceof Term.Var ov && isUnbound(ov.name(), env);
        if (c.args().size() != n && !hasOut) {
            throw new EvalError(EvalError.Code.TYPE, c.name() + ": expected " + n + " arguments, got " + c.args().size());
        }
        return list(c.args().subList(0, n), 0, new Value[n], env, vs -> {
            Value r;
            try {
                r = spec.fn().call(ctx, List.of(vs));
            } catch (BuiltinError e) {
                return builtinFailed(e);
            } catch (RuntimeException e) {
                if (e instanceof EvalError) throw e;
                return builtinFailed(new BuiltinError(c.name() + ": " + e));
            }
            return hasOut ? bind(c.args().get(n), r, env, false, () -> k.apply(Value.TRUE)) : k.apply(r);
        });
    }

    private RuleSet resolveFunction(String name, Env env) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            RuleSet rs = index.lookup(env.pkg, name);
            if (rs == null && env.module != null && env.module.imports().get(name) instanceof Term imp) {
                String full = dottedName(imp); // import data.lib.f, then f(x)
                return full != null && full.startsWith("data.") ? resolveFunction(full, env) : null;
            }
            return rs != null && rs.isFunction() ? rs : null;
        }
        String first = name.substring(0, dot);
        String full = null;
        if (!first.equals("data") && (env.module == null || !env.module.imports().containsKey(first))) {
            int last = name.lastIndexOf('.'); // a.y(x) defined by a ref head in the current package
            String pkg = env.pkg.isEmpty() ? name.substring(0, last) : env.pkg + "." + name.substring(0, last);
            RuleSet local = index.lookup(pkg, name.substring(last + 1));
            if (local != null && local.isFunction()) return local;
        }
        if (first.equals("data")) {
            full = name.substring(dot + 1);
        } else if (env.module != null && env.module.imports().get(first) instanceof Term.Ref ir
                && ir.head() instanceof Term.Var hv && hv.name().equals("data")) {
            StringBuilder sb = new StringBuilder();
            for (Term p : ir.path()) {
                if (p instanceof Term.Scalar s && s.value() instanceof StringValue sv) sb.append(sb.isEmpty() ? "" : ".").append(sv.value());
            }
            full = sb + name.substring(dot);
        }
        if (full == null) return null;
        int last = full.lastIndexOf('.');
        if (last < 0) return null;
        RuleSet rs = index.lookup(full.substring(0, last), full.substring(last + 1));
        return rs != null && rs.isFunction() ? rs : null;
    }

    private Value callUser(RuleSet fn, Value[] args) {
        enterCall();
        try {
            Value result = null;
            for (int d = 0; d < fn.defs.size(); d++) {
                Rule r = fn.defs.get(d);
                Env env = new Env(fn.modules.get(d));
                for (Term a : r.args()) declare(a, env);
                Value[] out = new Value[1];
                bindAll(r.args(), List.of(args), 0, env, true, () -> {
                    out[0] = allValues(r, env, fn);
                    return out[0] != null;
                });
                if (out[0] == null) continue;
                if (result != null && !result.equals(out[0])) {
                    throw new EvalError(EvalError.Code.CONFLICT, "functions must not produce multiple outputs for same inputs: " + fn.key);
                }
                result = out[0];
            }
            if (result == null && fn.defaultRule != null) result = first(fn.defaultRule.value(), new Env(fn.defaultModule));
            return result;
        } finally {
            callDepth--;
        }
    }
}
