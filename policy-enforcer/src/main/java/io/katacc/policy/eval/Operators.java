package io.katacc.policy.eval;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.Value;

import java.math.BigDecimal;
import java.util.TreeSet;

/** Infix operators: arithmetic, set algebra and comparisons. */
final class Operators {
    private Operators() {}

    static Value apply(String op, Value a, Value b) throws BuiltinError {
        return switch (op) {
            case "==" -> Value.bool(a.equals(b));
            case "!=" -> Value.bool(!a.equals(b));
            case "<" -> Value.bool(a.compareTo(b) < 0);
            case "<=" -> Value.bool(a.compareTo(b) <= 0);
            case ">" -> Value.bool(a.compareTo(b) > 0);
            case ">=" -> Value.bool(a.compareTo(b) >= 0);
            case "+" -> NumberValue.of(num("plus", 1, a).add(num("plus", 2, b)));
            case "*" -> NumberValue.of(num("mul", 1, a).multiply(num("mul", 2, b)));
            case "/" -> {
                BigDecimal d = num("div", 2, b);
                if (d.signum() == 0) throw new BuiltinError("div: divide by zero");
                yield NumberValue.of(num("div", 1, a).divide(d, NumberValue.CONTEXT));
            }
            case "%" -> {
                BigDecimal x = num("rem", 1, a), y = num("rem", 2, b);
                if (x.scale() > 0 || y.scale() > 0) throw new BuiltinError("rem: modulo on floating-point number");
                if (y.signum() == 0) throw new BuiltinError("rem: divide by zero");
                yield NumberValue.of(x.remainder(y));
            }
            case "-" -> {
                if (a instanceof SetValue sa && b instanceof SetValue sb) {
                    TreeSet<Value> t = new TreeSet<>(sa.elements());
                    t.removeAll(sb.elements());
                    yield SetValue.adopt(t);
                }
                if (a instanceof NumberValue && b instanceof NumberValue) {
                    yield NumberValue.of(num("minus", 1, a).subtract(num("minus", 2, b)));
                }
                throw new BuiltinError(BuiltinError.Kind.TYPE, "minus: operands must be both numbers or both sets, got "
                        + a.typeName() + " and " + b.typeName());
            }
            case "&" -> {
                TreeSet<Value> t = new TreeSet<>(set("and", 1, a).elements());
                t.retainAll(set("and", 2, b).elements());
                yield SetValue.adopt(t);
            }
            case "|" -> {
                TreeSet<Value> t = new TreeSet<>(set("or", 1, a).elements());
                t.addAll(set("or", 2, b).elements());
                yield SetValue.adopt(t);
            }
            default -> throw new IllegalArgumentException("unknown operator " + op);
        };
    }

    private static BigDecimal num(String fn, int pos, Value v) throws BuiltinError {
        if (v instanceof NumberValue n) return n.decimal();
        throw BuiltinError.type(fn, pos, "number", v);
    }

    private static SetValue set(String fn, int pos, Value v) throws BuiltinError {
        if (v instanceof SetValue s) return s;
        throw BuiltinError.type(fn, pos, "set", v);
    }
}
