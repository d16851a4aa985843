package io.katacc.policy.ast;

import io.katacc.policy.value.Value;

import java.util.List;

/** Rego terms and expressions. */
public sealed interface Term {
    record Scalar(Value value) implements Term {}
    record Var(String name) implements Term {}
    /** {@code head[path0][path1]...}; a dotted field is a Scalar string element. */
    record Ref(Term head, List<Term> path) implements Term {}
    record ArrayLit(List<Term> items) implements Term {}
    record SetLit(List<Term> items) implements Term {}
    record ObjectLit(List<Term> keys, List<Term> values) implements Term {}
    record ArrayCompr(Term head, List<Literal> body) implements Term {}
    record SetCompr(Term head, List<Literal> body) implements Term {}
    record ObjectCompr(Term key, Term value, List<Literal> body) implements Term {}
    /** A call of a builtin or user function by dotted name. {@code line} is used by print. */
    record Call(String name, List<Term> args, int line) implements Term {}
    record Binary(String op, Term left, Term right) implements Term {}
    record Neg(Term operand) implements Term {}
    /** {@code key, value in coll} (key may be null). */
    record Membership(Term key, Term value, Term coll) implements Term {}
    /** {@code left := right} */
    record Assign(Term left, Term right) implements Term {}
    /** {@code left = right} */
    record Unify(Term left, Term right) implements Term {}
}
