package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.BoolValue;
import io.katacc.policy.value.NullValue;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Number builtins: to_number, abs, round, ceil, floor, numbers.range(_step). */
final class Numbers {
    private Numbers() {}

    /** Decimal literal as Go's ParseFloat accepts it (no Inf/NaN, no hex). */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    /** Ranges larger than this are refused so a policy cannot exhaust memory. */
    static final long MAX_RANGE = 10_000_000;

    static void registerAll(BuiltinRegistry r) {
        r.register("to_number", 1, (c, a) -> switch (a.get(0)) {
            case NullValue n -> Value.num(0);
            case BoolValue b -> Value.num(b.value() ? 1 : 0);
            case NumberValue n -> n;
            case StringValue s -> {
                if (!DECIMAL.matcher(s.value()).matches()) {
                    throw new BuiltinError("to_number: invalid syntax: \"" + s.value() + "\"");
                }
                yield NumberValue.of(new BigDecimal(s.value()));
            }
            default -> throw BuiltinError.type("to_number", 1, "one of {boolean, null, number, string}", a.get(0));
        });
        r.register("abs", 1, (c, a) -> NumberValue.of(Args.num("abs", a, 0).decimal().abs()));
        r.register("round", 1, (c, a) -> NumberValue.of(Args.num("round", a, 0).decimal().setScale(0, RoundingMode.HALF_UP)));
        r.register("ceil", 1, (c, a) -> NumberValue.of(Args.num("ceil", a, 0).decimal().setScale(0, RoundingMode.CEILING)));
        r.register("floor", 1, (c, a) -> NumberValue.of(Args.num("floor", a, 0).decimal().setScale(0, RoundingMode.FLOOR)));
        r.register("numbers.range", 2, (c, a) -> range("numbers.range", a, BigInteger.ONE));
        r.register("numbers.range_step", 3, (c, a) -> {
            BigInteger step = integer("numbers.range_step", a, 2);
            if (step.signum() <= 0) throw new BuiltinError("numbers.range_step: step must be a positive integer");
            return range("numbers.range_step", a, step);
        });
    }

    private static BigInteger integer(String fn, List<Value> a, int i) throws BuiltinError {
        NumberValue n = Args.num(fn, a, i);
        if (!n.isInteger()) throw new BuiltinError(fn + ": operand " + (i + 1) + " must be an integer");
        return n.decimal().toBigIntegerExact();
    }

    private static Value range(String fn, List<Value> a, BigInteger step) throws BuiltinError {
        BigInteger from = integer(fn, a, 0), to = integer(fn, a, 1);
        BigInteger span = to.subtract(from).abs().divide(step);
        if (span.compareTo(BigInteger.valueOf(MAX_RANGE)) > 0) {
            throw new BuiltinError(fn + ": range of " + span + " elements exceeds the limit of " + MAX_RANGE);
        }
        List<Value> out = new ArrayList<>(span.intValue() + 1);
        boolean up = to.compareTo(from) >= 0;
        for (BigInteger i = from; up ? i.compareTo(to) <= 0 : i.compareTo(to) >= 0; i = up ? i.add(step) : i.subtract(step)) {
            out.add(NumberValue.of(i));
        }
        return new ArrayValue(out);
    }
}
