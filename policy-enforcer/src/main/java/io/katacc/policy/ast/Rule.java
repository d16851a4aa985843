package io.katacc.policy.ast;

import java.util.List;

/**
 * One rule definition. A ref head {@code a.b.c := v} is stored as rule {@code c} with {@code prefix}
 * [a, b] (the rule lives at data.&lt;pkg&gt;.a.b.c). {@code keys} holds the key of a partial set rule or
 * the keys (one per level) of a partial object rule; {@code args} the parameters of a function;
 * {@code value} the head value (null for partial set rules); {@code elseRule} the next else branch.
 */
public record Rule(Kind kind, String name, List<String> prefix, List<Term> args, List<Term> keys, Term value,
                   List<Literal> body, Rule elseRule, boolean isDefault, int line) {
    public enum Kind { COMPLETE, PARTIAL_SET, PARTIAL_OBJECT, FUNCTION }

    public Rule {
        prefix = List.copyOf(prefix);
        keys = List.copyOf(keys);
    }
}
