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
            case "+" -> arith(num("plus", 1, a), num("plus", 2, b), '+');
            case "*" -> arith(num("mul", 1, a), num("mul", 2, b), '*');
            case "/" -> {
                BigDecimal d = num("div", 2, b);
                if (d.signum() == 0) throw new BuiltinError("div: divide by zero");
                BigDecimal x = num("div", 1, a);
                if (x.scale() <= 0 && d.scale() <= 0) {
                    try {
                        yield NumberValue.of(x.divide(d)); // exact when representable
                    } catch (ArithmeticException inexact) {
                        // fall through to floating point
                    }
                }
                yield NumberValue.of(x.doubleValue() / d.doubleValue());
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
                    yield arith(num("minus", 1, a), num("minus", 2, b), '-');
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

    /**
     * Integers are exact at any size; as soon as a fraction is involved the result is an IEEE double,
     * as in regorus (whose results are Kata's reference), e.g. 0.1 + 0.2 = 0.30000000000000004.
     */
    static NumberValue arith(BigDecimal x, BigDecimal y, char op) {
        if (x.scale() <= 0 && y.scale() <= 0) {
            return NumberValue.of(switch (op) {
                case '+' -> x.add(y);
                case '-' -> x.subtract(y);
                default -> x.multiply(y);
            });
        }
        double dx = x.doubleValue(), dy = y.doubleValue();
        return NumberValue.of(switch (op) {
            case '+' -> dx + dy;
            case '-' -> dx - dy;
            default -> dx * dy;
        });
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
