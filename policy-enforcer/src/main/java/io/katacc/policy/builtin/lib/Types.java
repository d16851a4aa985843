package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.Value;

/** is_* predicates (false, not undefined, for other types, as OPA) and type_name. */
final class Types {
    private Types() {}

    static void registerAll(BuiltinRegistry r) {
        for (String t : new String[]{"null", "boolean", "number", "string", "array", "set", "object"}) {
            r.register("is_" + t, 1, (c, a) -> Value.bool(a.get(0).typeName().equals(t)));
        }
        r.register("type_name", 1, (c, a) -> Value.str(a.get(0).typeName()));
    }
}
