package io.katacc.policy.eval;

import io.katacc.policy.ast.Module;
import io.katacc.policy.value.Value;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Variable bindings of one rule body (or query); undone on backtracking by the evaluator. */
final class Env {
    final Module module;
    final String pkg;
    final Map<String, Value> vars = new HashMap<>();
    final Set<String> locals = new HashSet<>();

    Env(Module module) {
        this.module = module;
        this.pkg = module == null ? "" : String.join(".", module.pkg());
    }
}
