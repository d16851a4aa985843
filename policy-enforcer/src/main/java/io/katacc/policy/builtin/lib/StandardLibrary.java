package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinRegistry;

/** Entry point of the standard builtin library (owned by the builtins work; see BUILTINS.md). */
public final class StandardLibrary {
    private StandardLibrary() {}

    public static void registerAll(BuiltinRegistry r) {
        // Library classes register themselves here, e.g. Strings.registerAll(r);
    }
}
