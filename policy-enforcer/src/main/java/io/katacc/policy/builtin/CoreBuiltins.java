package io.katacc.policy.builtin;

import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;

/** The few builtins the evaluator itself relies on; everything else lives in {@code lib}. */
final class CoreBuiltins {
    private CoreBuiltins() {}

    static void registerAll(BuiltinRegistry r) {
        r.register("count", 1, (ctx, a) -> switch (a.get(0)) {
            case ArrayValue x -> NumberValue.of(x.size());
            case SetValue x -> NumberValue.of(x.size());
            case ObjectValue x -> NumberValue.of(x.size());
            case StringValue x -> NumberValue.of(x.value().codePointCount(0, x.value().length()));
            default -> throw BuiltinError.type("count", 1, "one of {array, object, set, string}", a.get(0));
        });
    }
}
