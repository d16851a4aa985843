package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Operand checks shared by the library: each returns the typed operand or throws a type error. */
final class Args {
    private Args() {}

    static String str(String fn, List<Value> a, int i) throws BuiltinError {
        if (a.get(i) instanceof StringValue s) return s.value();
        throw BuiltinError.type(fn, i + 1, "string", a.get(i));
    }

    static NumberValue num(String fn, List<Value> a, int i) throws BuiltinError {
        if (a.get(i) instanceof NumberValue n) return n;
        throw BuiltinError.type(fn, i + 1, "number", a.get(i));
    }

    /** An integer operand that fits in an int. */
    static int integer(String fn, List<Value> a, int i) throws BuiltinError {
        NumberValue n = num(fn, a, i);
        if (!n.isInteger()) throw new BuiltinError(fn + ": operand " + (i + 1) + " must be an integer but got " + n);
        try {
            return n.decimal().intValueExact();
        } catch (ArithmeticException e) {
            throw new BuiltinError(fn + ": operand " + (i + 1) + " is out of range: " + n);
        }
    }

    static ObjectValue obj(String fn, List<Value> a, int i) throws BuiltinError {
        if (a.get(i) instanceof ObjectValue o) return o;
        throw BuiltinError.type(fn, i + 1, "object", a.get(i));
    }

    static ArrayValue arr(String fn, List<Value> a, int i) throws BuiltinError {
        if (a.get(i) instanceof ArrayValue o) return o;
        throw BuiltinError.type(fn, i + 1, "array", a.get(i));
    }

    static SetValue set(String fn, List<Value> a, int i) throws BuiltinError {
        if (a.get(i) instanceof SetValue o) return o;
        throw BuiltinError.type(fn, i + 1, "set", a.get(i));
    }

    /** Elements of an array or set operand. */
    static Collection<Value> collection(String fn, List<Value> a, int i) throws BuiltinError {
        return switch (a.get(i)) {
            case ArrayValue x -> x.elements();
            case SetValue x -> x.elements();
            default -> throw BuiltinError.type(fn, i + 1, "one of {array, set}", a.get(i));
        };
    }

    /** Strings of an array or set operand. */
    static List<String> strings(String fn, List<Value> a, int i) throws BuiltinError {
        List<String> out = new ArrayList<>();
        for (Value v : collection(fn, a, i)) {
            if (!(v instanceof StringValue s)) {
                throw new BuiltinError(BuiltinError.Kind.TYPE, fn + ": operand " + (i + 1)
                        + " must contain strings only but got " + v.typeName());
            }
            out.add(s.value());
        }
        return out;
    }

    static ArrayValue strArray(List<String> xs) {
        List<Value> out = new ArrayList<>(xs.size());
        for (String x : xs) out.add(new StringValue(x));
        return new ArrayValue(out);
    }
}
