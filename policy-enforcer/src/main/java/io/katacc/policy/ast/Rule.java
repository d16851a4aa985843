package io.katacc.policy.ast;

import java.util.List;

/**
 * One rule definition. {@code key} is set for partial set/object rules, {@code args} for functions,
 * {@code value} is the head value (null for partial set rules), {@code elseRule} the next else branch.
 */
public record Rule(Kind kind, String name, List<Term> args, Term key, Term value, List<Literal> body,
                   Rule elseRule, boolean isDefault, int line) {
    public enum Kind { COMPLETE, PARTIAL_SET, PARTIAL_OBJECT, FUNCTION }
}
