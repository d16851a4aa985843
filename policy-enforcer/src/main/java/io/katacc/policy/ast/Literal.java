package io.katacc.policy.ast;

import java.util.List;

/** One statement of a rule body or query. */
public sealed interface Literal {
    int line();

    record Expr(Term term, boolean negated, List<With> withs, int line) implements Literal {}
    record SomeVars(List<String> names, int line) implements Literal {}
    record SomeIn(Term key, Term value, Term coll, int line) implements Literal {}
    record Every(Term key, Term value, Term coll, List<Literal> body, int line) implements Literal {}

    /** {@code with target as value}; target is input/data ref. */
    record With(Term target, Term value) {}
}
