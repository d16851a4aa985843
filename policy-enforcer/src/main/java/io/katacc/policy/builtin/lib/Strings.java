package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** String builtins. Indexes and lengths count code points, as OPA counts runes. */
final class Strings {
    private Strings() {}

    static void registerAll(BuiltinRegistry r) {
        r.register("concat", 2, (c, a) -> Value.str(String.join(Args.str("concat", a, 0), Args.strings("concat", a, 1))));
        r.register("contains", 2, (c, a) -> Value.bool(Args.str("contains", a, 0).contains(Args.str("contains", a, 1))));
        r.register("startswith", 2, (c, a) -> Value.bool(Args.str("startswith", a, 0).startsWith(Args.str("startswith", a, 1))));
        r.register("endswith", 2, (c, a) -> Value.bool(Args.str("endswith", a, 0).endsWith(Args.str("endswith", a, 1))));
        r.register("lower", 1, (c, a) -> Value.str(Args.str("lower", a, 0).toLowerCase(java.util.Locale.ROOT)));
        r.register("upper", 1, (c, a) -> Value.str(Args.str("upper", a, 0).toUpperCase(java.util.Locale.ROOT)));
        r.register("split", 2, (c, a) -> Args.strArray(split(Args.str("split", a, 0), Args.str("split", a, 1), -1)));
        r.register("replace", 3, (c, a) -> Value.str(replace(Args.str("replace", a, 0), Args.str("replace", a, 1),
                Args.str("replace", a, 2))));
        r.register("strings.replace_n", 2, (c, a) -> Value.str(replaceN(Args.obj("strings.replace_n", a, 0),
                Args.str("strings.replace_n", a, 1))));
        r.register("strings.reverse", 1, (c, a) -> Value.str(new StringBuilder(Args.str("strings.reverse", a, 0)).reverse().toString()));
        r.register("strings.count", 2, (c, a) -> Value.num(count(Args.str("strings.count", a, 0), Args.str("strings.count", a, 1))));
        r.register("strings.any_prefix_match", 2, (c, a) -> Value.bool(anyPrefix(a, false)));
        r.register("strings.any_suffix_match", 2, (c, a) -> Value.bool(anyPrefix(a, true)));
        r.register("trim", 2, (c, a) -> Value.str(trim(Args.str("trim", a, 0), Args.str("trim", a, 1), true, true)));
        r.register("trim_left", 2, (c, a) -> Value.str(trim(Args.str("trim_left", a, 0), Args.str("trim_left", a, 1), true, false)));
        r.register("trim_right", 2, (c, a) -> Value.str(trim(Args.str("trim_right", a, 0), Args.str("trim_right", a, 1), false, true)));
        r.register("trim_prefix", 2, (c, a) -> {
            String s = Args.str("trim_prefix", a, 0), p = Args.str("trim_prefix", a, 1);
            return Value.str(s.startsWith(p) ? s.substring(p.length()) : s);
        });
        r.register("trim_suffix", 2, (c, a) -> {
            String s = Args.str("trim_suffix", a, 0), p = Args.str("trim_suffix", a, 1);
            return Value.str(s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s);
        });
        r.register("trim_space", 1, (c, a) -> Value.str(trimSpace(Args.str("trim_space", a, 0))));
        r.register("indexof", 2, (c, a) -> {
            String s = Args.str("indexof", a, 0), n = Args.str("indexof", a, 1);
            int i = n.isEmpty() ? -1 : s.indexOf(n); // an empty needle is never found, as regorus
            return Value.num(i < 0 ? -1 : s.codePointCount(0, i));
        });
        r.register("indexof_n", 2, (c, a) -> {
            String s = Args.str("indexof_n", a, 0), n = Args.str("indexof_n", a, 1);
            if (n.isEmpty()) throw new BuiltinError("indexof_n: empty search string");
            List<Value> out = new ArrayList<>();
            for (int i = s.indexOf(n); i >= 0 && i <= s.length(); i = s.indexOf(n, i + 1)) {
                out.add(Value.num(s.codePointCount(0, i)));
                if (i >= s.length()) break;
            }
            return new ArrayValue(out);
        });
        r.register("substring", 3, (c, a) -> Value.str(substring(Args.str("substring", a, 0),
                Args.integer("substring", a, 1), Args.integer("substring", a, 2))));
        r.register("format_int", 2, (c, a) -> Value.str(formatInt(Args.num("format_int", a, 0), Args.integer("format_int", a, 1))));
        r.register("sprintf", 2, (c, a) -> Value.str(Sprintf.format(Args.str("sprintf", a, 0),
                List.copyOf(Args.collection("sprintf", a, 1)))));
    }

    /** Go's strings.SplitN: an empty separator splits into code points. */
    static List<String> split(String s, String sep, int n) {
        List<String> out = new ArrayList<>();
        if (sep.isEmpty()) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        int from = 0;
        while (true) {
            if (n > 0 && out.size() == n - 1) break;
            int i = s.indexOf(sep, from);
            if (i < 0) break;
            out.add(s.substring(from, i));
            from = i + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** Go's strings.ReplaceAll: an empty {@code old} inserts {@code with} around every code point. */
    static String replace(String s, String old, String with) {
        if (!old.isEmpty()) return s.replace(old, with);
        StringBuilder sb = new StringBuilder(with);
        s.codePoints().forEach(cp -> sb.appendCodePoint(cp).append(with));
        return sb.toString();
    }

    /** Go's strings.Replacer over the pairs in key order: at each position the first matching key wins. */
    private static String replaceN(ObjectValue patterns, String s) throws BuiltinError {
        List<String[]> pairs = new ArrayList<>();
        for (Map.Entry<Value, Value> e : patterns.fields().entrySet()) {
            if (!(e.getKey() instanceof StringValue k) || !(e.getValue() instanceof StringValue v)) {
                throw new BuiltinError(BuiltinError.Kind.TYPE, "strings.replace_n: operand 1 must be an object of strings");
            }
            pairs.add(new String[]{k.value(), v.value()});
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        outer:
        while (i < s.length()) {
            for (String[] p : pairs) {
                if (!p[0].isEmpty() && s.startsWith(p[0], i)) {
                    sb.append(p[1]);
                    i += p[0].length();
                    continue outer;
                }
            }
            sb.append(s.charAt(i++));
        }
        return sb.toString();
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) return s.codePointCount(0, s.length()) + 1L;
        long n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
        return n;
    }

    private static boolean anyPrefix(List<Value> a, boolean suffix) throws BuiltinError {
        String fn = suffix ? "strings.any_suffix_match" : "strings.any_prefix_match";
        List<String> search = a.get(0) instanceof StringValue s ? List.of(s.value()) : Args.strings(fn, a, 0);
        List<String> base = a.get(1) instanceof StringValue s ? List.of(s.value()) : Args.strings(fn, a, 1);
        for (String x : search) {
            for (String b : base) {
                if (suffix ? x.endsWith(b) : x.startsWith(b)) return true;
            }
        }
        return false;
    }

    /** Go's strings.Trim/TrimLeft/TrimRight with a cutset of code points. */
    static String trim(String s, String cutset, boolean left, boolean right) {
        int start = 0, end = s.length();
        while (left && start < end) {
            int cp = s.codePointAt(start);
            if (cutset.indexOf(cp) < 0) break;
            start += Character.charCount(cp);
        }
        while (right && end > start) {
            int cp = s.codePointBefore(end);
            if (cutset.indexOf(cp) < 0) break;
            end -= Character.charCount(cp);
        }
        return s.substring(start, end);
    }

    /** Go's strings.TrimSpace (Unicode white space). */
    private static String trimSpace(String s) {
        int start = 0, end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) start += Character.charCount(s.codePointAt(start));
        while (end > start && isSpace(s.codePointBefore(end))) end -= Character.charCount(s.codePointBefore(end));
        return s.substring(start, end);
    }

    private static boolean isSpace(int cp) {
        return cp == '\t' || cp == '\n' || cp == 0x0B || cp == '\f' || cp == '\r' || cp == ' ' || cp == 0x85
                || cp == 0xA0 || Character.isSpaceChar(cp);
    }

    private static String substring(String s, int offset, int length) throws BuiltinError {
        if (offset < 0) throw new BuiltinError("substring: negative offset");
        int runes = s.codePointCount(0, s.length());
        if (offset >= runes) return "";
        int begin = s.offsetByCodePoints(0, offset);
        if (length < 0 || offset + (long) length >= runes) return s.substring(begin);
        return s.substring(begin, s.offsetByCodePoints(begin, length));
    }

    private static String formatInt(NumberValue n, int base) throws BuiltinError {
        if (base != 2 && base != 8 && base != 10 && base != 16) {
            throw new BuiltinError("format_int: operand 2 must be one of {2, 8, 10, 16}");
        }
        // OPA truncates toward zero before formatting.
        BigInteger i = n.decimal().setScale(0, RoundingMode.DOWN).toBigInteger();
        return i.toString(base);
    }

    static Value number(long n) {
        return NumberValue.of(n);
    }
}
