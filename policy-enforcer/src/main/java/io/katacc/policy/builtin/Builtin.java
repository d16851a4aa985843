package io.katacc.policy.builtin;

import io.katacc.policy.value.Value;

import java.util.List;

/** A Rego builtin function. Arguments are fully evaluated; the arity is checked before the call. */
@FunctionalInterface
public interface Builtin {
    /**
     * @return the result; never null (return {@link Value#NULL} for Rego null)
     * @throws BuiltinError on bad arguments or failure; in non-strict mode the calling expression
     *                      becomes undefined
     */
    Value call(BuiltinContext ctx, List<Value> args) throws BuiltinError;
}
