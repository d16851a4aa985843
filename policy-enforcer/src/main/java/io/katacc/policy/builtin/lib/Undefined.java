package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;

/**
 * Cases where OPA/regorus make the call undefined rather than raising an error (empty max, a JSON
 * patch that fails, an unparsable UUID, ...): undefined in strict and non-strict mode alike.
 */
final class Undefined {
    private Undefined() {}

    static BuiltinError because(String message) {
        return BuiltinError.undefined(message);
    }
}
