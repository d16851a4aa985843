package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;

/**
 * Cases where OPA/regorus make the call undefined rather than raising an error (empty max, a JSON
 * patch that fails, an unparsable UUID, ...). The registry contract has no "undefined" result yet, so
 * this is a builtin error: undefined in non-strict mode (Kata's agent), an error in strict mode. Kept in
 * one place so that it can become a distinct error kind once the evaluator supports one.
 */
final class Undefined {
    private Undefined() {}

    static BuiltinError because(String message) {
        return new BuiltinError(message);
    }
}
