package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinRegistry;

/** Entry point of the standard builtin library (owned by the builtins work; see BUILTINS.md). */
public final class StandardLibrary {
    private StandardLibrary() {}

    public static void registerAll(BuiltinRegistry r) {
        Strings.registerAll(r);
        Regex.registerAll(r);
        Encoding.registerAll(r);
        Objects.registerAll(r);
        Collections.registerAll(r);
        Types.registerAll(r);
        Numbers.registerAll(r);
        Hashes.registerAll(r);
        Units.registerAll(r);
        Glob.registerAll(r);
        Time.registerAll(r);
        Bits.registerAll(r);
        JsonPaths.registerAll(r);
        Uuids.registerAll(r);
        Semver.registerAll(r);
        Net.registerAll(r);
        Hmac.registerAll(r);
        Graphs.registerAll(r);
        Jwt.registerAll(r);
        PrettyJson.registerAll(r);
    }
}
