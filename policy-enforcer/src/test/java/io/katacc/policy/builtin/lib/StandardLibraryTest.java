package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandardLibraryTest {
    private static final BuiltinRegistry REG = BuiltinRegistry.standard();

    /** Every builtin Kata's genpolicy policies call, with OPA's arity. */
    @Test
    void registersEverythingKataPoliciesUse() {
        Map<String, Integer> kata = Map.ofEntries(
                Map.entry("base64.decode", 1), Map.entry("base64.is_valid", 1), Map.entry("base64url.encode", 1),
                Map.entry("concat", 2), Map.entry("contains", 2), Map.entry("endswith", 2), Map.entry("is_null", 1),
                Map.entry("object.keys", 1), Map.entry("regex.match", 2), Map.entry("replace", 3), Map.entry("split", 2),
                Map.entry("startswith", 2), Map.entry("to_number", 1), Map.entry("trim_left", 2), Map.entry("trim_right", 2),
                Map.entry("count", 1));
        kata.forEach((name, arity) -> {
            assertTrue(REG.contains(name), "missing " + name);
            assertEquals(arity, REG.lookup(name).orElseThrow().arity(), name);
        });
    }

    @Test
    void registersTheCommonOpaSetWithOpaArities() {
        Map<String, Integer> common = Map.ofEntries(
                Map.entry("sprintf", 2), Map.entry("format_int", 2), Map.entry("indexof", 2), Map.entry("indexof_n", 2),
                Map.entry("substring", 3), Map.entry("strings.replace_n", 2), Map.entry("strings.reverse", 1),
                Map.entry("regex.find_n", 3), Map.entry("regex.split", 2), Map.entry("regex.replace", 3),
                Map.entry("regex.is_valid", 1), Map.entry("regex.find_all_string_submatch_n", 3),
                Map.entry("json.marshal", 1), Map.entry("json.unmarshal", 1), Map.entry("json.is_valid", 1),
                Map.entry("yaml.marshal", 1), Map.entry("yaml.unmarshal", 1), Map.entry("hex.encode", 1),
                Map.entry("json.patch", 2), Map.entry("object.get", 3), Map.entry("object.union_n", 1),
                Map.entry("array.slice", 3), Map.entry("numbers.range", 2), Map.entry("glob.match", 3),
                Map.entry("units.parse_bytes", 1), Map.entry("time.now_ns", 0), Map.entry("time.add_date", 4),
                Map.entry("crypto.sha256", 1), Map.entry("union", 1), Map.entry("intersection", 1), Map.entry("type_name", 1));
        common.forEach((name, arity) -> {
            assertTrue(REG.contains(name), "missing " + name);
            assertEquals(arity, REG.lookup(name).orElseThrow().arity(), name);
        });
    }

    @Test
    void registeringTwiceFails() {
        BuiltinRegistry r = new BuiltinRegistry();
        StandardLibrary.registerAll(r);
        assertThrows(IllegalStateException.class, () -> StandardLibrary.registerAll(r));
    }
}
