package io.katacc.policy.eval;

import io.katacc.policy.ast.Module;
import io.katacc.policy.ast.Rule;

import java.util.ArrayList;
import java.util.List;

/** All definitions of one rule name in one package, with the module each came from. */
final class RuleSet {
    final String pkg;
    final String name;
    final String key;
    Rule.Kind kind;
    final List<Rule> defs = new ArrayList<>();
    final List<Module> modules = new ArrayList<>();
    Rule defaultRule;
    Module defaultModule;

    RuleSet(String pkg, String name) {
        this.pkg = pkg;
        this.name = name;
        this.key = pkg.isEmpty() ? name : pkg + "." + name;
    }

    boolean isFunction() {
        return kind == Rule.Kind.FUNCTION;
    }
}
