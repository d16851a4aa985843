package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.Value;

import java.math.BigInteger;
import java.util.List;
import java.util.function.BinaryOperator;

/** bits.*: two's-complement operations on arbitrary-precision integers. */
final class Bits {
    private Bits() {}

    /** Shifts beyond this many bits are refused so a policy cannot allocate huge numbers. */
    static final int MAX_SHIFT = 4096;

    static void registerAll(BuiltinRegistry r) {
        binary(r, "bits.or", BigInteger::or);
        binary(r, "bits.and", BigInteger::and);
        binary(r, "bits.xor", BigInteger::xor);
        r.register("bits.negate", 1, (c, a) -> NumberValue.of(integer("bits.negate", a, 0).not()));
        r.register("bits.lsh", 2, (c, a) -> NumberValue.of(integer("bits.lsh", a, 0).shiftLeft(shift("bits.lsh", a))));
        r.register("bits.rsh", 2, (c, a) -> NumberValue.of(integer("bits.rsh", a, 0).shiftRight(shift("bits.rsh", a))));
    }

    private static void binary(BuiltinRegistry r, String name, BinaryOperator<BigInteger> op) {
        r.register(name, 2, (c, a) -> NumberValue.of(op.apply(integer(name, a, 0), integer(name, a, 1))));
    }

    private static BigInteger integer(String fn, List<Value> a, int i) throws BuiltinError {
        NumberValue n = Args.num(fn, a, i);
        if (!n.isInteger()) throw new BuiltinError(fn + ": operand " + (i + 1) + " must be an integer but got " + n);
        return n.decimal().toBigIntegerExact();
    }

    private static int shift(String fn, List<Value> a) throws BuiltinError {
        BigInteger s = integer(fn, a, 1);
        if (s.signum() < 0) throw new BuiltinError(fn + ": negative shift count " + s);
        if (s.compareTo(BigInteger.valueOf(MAX_SHIFT)) > 0) throw new BuiltinError(fn + ": shift count " + s + " exceeds " + MAX_SHIFT);
        return s.intValue();
    }
}
