package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;
import io.katacc.policy.value.ValueFormat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * Go fmt as OPA's sprintf uses it: integral numbers format as Go integers, other numbers as float64,
 * strings as Go strings, anything else as its Rego text.
 */
final class Sprintf {
    private Sprintf() {}

    static String format(String fmt, List<Value> args) throws BuiltinError {
        StringBuilder out = new StringBuilder();
        int argi = 0;
        int i = 0;
        while (i < fmt.length()) {
            char ch = fmt.charAt(i);
            if (ch != '%') {
                out.append(ch);
                i++;
                continue;
            }
            i++;
            if (i >= fmt.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            boolean minus = false, plus = false, space = false, zero = false, sharp = false;
            for (; i < fmt.length(); i++) {
                char f = fmt.charAt(i);
                if (f == '-') minus = true;
                else if (f == '+') plus = true;
                else if (f == ' ') space = true;
                else if (f == '0') zero = true;
                else if (f == '#') sharp = true;
                else break;
            }
            int width = -1, prec = -1;
            int start = i;
            while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) i++;
            if (i > start) width = Integer.parseInt(fmt.substring(start, i));
            if (i < fmt.length() && fmt.charAt(i) == '.') {
                i++;
                start = i;
                while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) i++;
                prec = i > start ? Integer.parseInt(fmt.substring(start, i)) : 0;
            }
            if (i >= fmt.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = fmt.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argi >= args.size()) {
                // Go would print %!v(MISSING); regorus (and a policy author) treat it as an error.
                throw new BuiltinError("sprintf: no argument specified for format verb " + argi);
            }
            Value arg = args.get(argi++);
            String body = one(verb, arg, prec, plus, space, sharp);
            // Go pads numbers and strings with zeros under the 0 flag (never on the right).
            boolean zeroPad = zero && !minus && (arg instanceof StringValue || (arg instanceof NumberValue && isNumericVerb(verb)));
            out.append(pad(body, width, minus, zeroPad));
        }
        if (argi < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = argi; k < args.size(); k++) {
                if (k > argi) out.append(", ");
                Value v = args.get(k);
                out.append(goType(v)).append('=').append(plain(v));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static boolean isNumericVerb(char v) {
        return "dfeEgGxXobv".indexOf(v) >= 0;
    }

    private static String pad(String s, int width, boolean left, boolean zero) {
        int n = s.codePointCount(0, s.length());
        if (width <= n) return s;
        String fill = (zero ? "0" : " ").repeat(width - n);
        if (left) return s + fill;
        if (zero && (s.startsWith("-") || s.startsWith("+"))) return s.charAt(0) + fill + s.substring(1);
        return fill + s;
    }

    private static String goType(Value v) {
        return switch (v) {
            case NumberValue n -> integer(n) != null ? "int" : "float64";
            case StringValue s -> "string";
            default -> "ast." + switch (v.typeName()) {
                case "null" -> "Null";
                case "boolean" -> "Boolean";
                case "array" -> "*Array";
                case "set" -> "*set";
                default -> "object";
            };
        };
    }

    private static BigInteger integer(NumberValue n) {
        return n.isInteger() ? n.decimal().toBigIntegerExact() : null;
    }

    /** The %v form. */
    private static String plain(Value v) {
        return switch (v) {
            case NumberValue n -> integer(n) != null ? integer(n).toString() : goFloat(n.doubleValue(), 'g', -1);
            case StringValue s -> s.value();
            default -> ValueFormat.display(v);
        };
    }

    private static String one(char verb, Value arg, int prec, boolean plus, boolean space, boolean sharp) {
        if (arg instanceof NumberValue n) {
            BigInteger i = integer(n);
            if (i != null) {
                String sign = i.signum() < 0 ? "-" : plus ? "+" : space ? " " : "";
                BigInteger abs = i.abs();
                String digits = switch (verb) {
                    case 'd', 'v' -> abs.toString();
                    case 'x' -> (sharp ? "0x" : "") + abs.toString(16);
                    case 'X' -> (sharp ? "0X" : "") + abs.toString(16).toUpperCase();
                    case 'o' -> (sharp ? "0" : "") + abs.toString(8);
                    case 'O' -> "0o" + abs.toString(8);
                    case 'b' -> abs.toString(2);
                    case 'c' -> new String(Character.toChars(i.intValue()));
                    case 'q' -> "'" + new String(Character.toChars(i.intValue())) + "'";
                    case 'e', 'E', 'f', 'F', 'g', 'G' -> null;
                    default -> bad(verb, arg);
                };
                if (digits == null) return floatVerb(verb, i.doubleValue(), prec, plus, space);
                if (verb == 'c' || verb == 'q' || digits.startsWith("%!")) return digits;
                if (prec >= 0 && digits.length() < prec) digits = "0".repeat(prec - digits.length()) + digits;
                return sign + digits;
            }
            double d = n.doubleValue();
            return switch (verb) {
                case 'v', 'e', 'E', 'f', 'F', 'g', 'G' -> floatVerb(verb == 'v' ? 'g' : verb, d, prec, plus, space);
                default -> bad(verb, arg);
            };
        }
        if (arg instanceof StringValue s) {
            String v = s.value();
            return switch (verb) {
                case 's', 'v' -> prec >= 0 && prec < v.codePointCount(0, v.length())
                        ? v.substring(0, v.offsetByCodePoints(0, prec)) : v;
                case 'q' -> ValueFormat.json(s);
                case 'x', 'X' -> {
                    StringBuilder sb = new StringBuilder();
                    for (byte b : v.getBytes(java.nio.charset.StandardCharsets.UTF_8)) sb.append(String.format("%02x", b));
                    yield verb == 'X' ? sb.toString().toUpperCase() : sb.toString();
                }
                default -> bad(verb, arg);
            };
        }
        return switch (verb) {
            case 's', 'v' -> ValueFormat.display(arg);
            default -> bad(verb, arg);
        };
    }

    private static String bad(char verb, Value arg) {
        return "%!" + verb + "(" + goType(arg) + "=" + plain(arg) + ")";
    }

    private static String floatVerb(char verb, double d, int prec, boolean plus, boolean space) {
        String s = goFloat(d, verb, prec);
        if (!s.startsWith("-")) s = (plus ? "+" : space ? " " : "") + s;
        return s;
    }

    /** Go's strconv.FormatFloat for 'e', 'f', 'g' (prec -1 = shortest; %v is 'g' shortest). */
    static String goFloat(double d, char verb, int prec) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "+Inf" : "-Inf";
        boolean upper = Character.isUpperCase(verb);
        char v = Character.toLowerCase(verb);
        String r = switch (v) {
            case 'f' -> new BigDecimal(d).setScale(prec < 0 ? 6 : prec, java.math.RoundingMode.HALF_EVEN).toPlainString();
            case 'e' -> expForm(new BigDecimal(d), prec < 0 ? 6 : prec);
            default -> gForm(d, prec);
        };
        return upper ? r.toUpperCase() : r;
    }

    private static String expForm(BigDecimal x, int prec) {
        if (x.signum() == 0) return (prec > 0 ? "0." + "0".repeat(prec) : "0") + "e+00";
        BigDecimal r = x.round(new java.math.MathContext(prec + 1, java.math.RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1;
        String digits = r.unscaledValue().abs().toString();
        while (digits.length() < prec + 1) digits += "0";
        digits = digits.substring(0, prec + 1);
        String mant = digits.substring(0, 1) + (prec > 0 ? "." + digits.substring(1) : "");
        String e = String.format("%02d", Math.abs(exp));
        return (x.signum() < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + e;
    }

    private static String gForm(double d, int prec) {
        BigDecimal x;
        if (prec < 0) {
            x = new BigDecimal(Double.toString(d)); // shortest representation
        } else {
            x = new BigDecimal(d).round(new java.math.MathContext(Math.max(prec, 1), java.math.RoundingMode.HALF_EVEN));
        }
        if (x.signum() == 0) return d == 0 && 1 / d < 0 ? "-0" : "0";
        x = x.stripTrailingZeros();
        int exp = x.precision() - x.scale() - 1;
        // strconv 'g': exponent form below 1e-4 or at/above the precision (6 when shortest).
        int eprec = prec < 0 ? 6 : Math.max(prec, 1);
        if (prec >= 0 && eprec > x.precision() && x.precision() >= exp + 1) eprec = x.precision();
        if (exp < -4 || exp >= eprec) {
            int digits = x.precision() - 1;
            return expForm(x, digits);
        }
        return x.toPlainString();
    }
}
