package io.katacc.policy.builtin.lib;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.policy.builtin.BuiltinContext;
import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.builtin.BuiltinSpec;
import io.katacc.policy.value.Value;
import io.katacc.policy.value.ValueJson;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Test helper: calls a standard builtin with JSON-literal arguments. */
final class Call {
    private static final BuiltinRegistry REG = BuiltinRegistry.standard();
    private static final ObjectMapper M = new ObjectMapper();
    static final BuiltinContext CTX = new BuiltinContext(1_700_000_000_123_456_789L);

    private Call() {}

    static Value json(String text) {
        try {
            return ValueJson.fromJson(M.readTree(text));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static Value call(String name, Value... args) throws BuiltinError {
        BuiltinSpec spec = REG.lookup(name).orElseThrow(() -> new AssertionError("not registered: " + name));
        if (spec.arity() != args.length) throw new AssertionError(name + " has arity " + spec.arity());
        return spec.fn().call(CTX, List.of(args));
    }

    /** Calls with arguments given as JSON texts. */
    static Value j(String name, String... args) throws BuiltinError {
        Value[] vs = new Value[args.length];
        for (int i = 0; i < args.length; i++) vs[i] = json(args[i]);
        return call(name, vs);
    }

    static BuiltinError fails(String name, String... args) {
        return assertThrows(BuiltinError.class, () -> j(name, args));
    }
}
