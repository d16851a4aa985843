package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.NumberValue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** units.parse (SI and binary suffixes) and units.parse_bytes, as regorus/OPA. */
final class Units {
    private Units() {}

    private static final Pattern SPLIT = Pattern.compile("([0-9]*\\.?[0-9]*(?:[eE][+-]?[0-9]+)?)(.*)");
    /** Case-sensitive decimal suffixes of units.parse (lower-case k, e, p, t, g are OPA's kilo etc.). */
    private static final Map<String, Integer> SI = Map.ofEntries(
            Map.entry("Q", 30), Map.entry("R", 27), Map.entry("Y", 24), Map.entry("Z", 21),
            Map.entry("E", 18), Map.entry("e", 18), Map.entry("P", 15), Map.entry("p", 15),
            Map.entry("T", 12), Map.entry("t", 12), Map.entry("G", 9), Map.entry("g", 9),
            Map.entry("M", 6), Map.entry("K", 3), Map.entry("k", 3), Map.entry("h", 2), Map.entry("da", 1),
            Map.entry("d", -1), Map.entry("c", -2), Map.entry("m", -3), Map.entry("μ", -6), Map.entry("µ", -6),
            Map.entry("n", -9), Map.entry("f", -15), Map.entry("a", -18), Map.entry("z", -21), Map.entry("y", -24),
            Map.entry("r", -27), Map.entry("q", -30));
    /** Binary prefixes (case-insensitive, followed by "i"). */
    private static final String BINARY = "kmgtpezy";

    static void registerAll(BuiltinRegistry r) {
        r.register("units.parse", 1, (c, a) -> NumberValue.of(parse(Args.str("units.parse", a, 0))));
        r.register("units.parse_bytes", 1, (c, a) -> NumberValue.of(parseBytes(Args.str("units.parse_bytes", a, 0))));
    }

    private static String[] split(String fn, String s) throws BuiltinError {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) s = s.substring(1, s.length() - 1);
        if (s.contains(" ")) throw new BuiltinError(fn + ": spaces not allowed in resource string");
        Matcher m = SPLIT.matcher(s);
        if (!m.matches() || m.group(1).isEmpty() || m.group(1).equals(".")) {
            throw new BuiltinError(fn + ": no amount provided in \"" + s + "\"");
        }
        return new String[]{m.group(1), m.group(2)};
    }

    static BigDecimal parse(String s) throws BuiltinError {
        String[] p = split("units.parse", s);
        BigDecimal x = new BigDecimal(p[0]);
        String suf = p[1];
        if (suf.isEmpty()) return x;
        if (suf.length() == 2 && Character.toLowerCase(suf.charAt(1)) == 'i') {
            int i = BINARY.indexOf(Character.toLowerCase(suf.charAt(0)));
            if (i >= 0) return x.multiply(BigDecimal.valueOf(2).pow(10 * (i + 1)));
        }
        Integer e = SI.get(suf);
        if (e == null) throw Undefined.because("units.parse: unknown unit suffix \"" + suf + "\"");
        return x.scaleByPowerOfTen(e);
    }

    /** Bytes: suffixes case-insensitive, optional trailing b; "i" selects powers of 1024. Result is an integer. */
    static BigDecimal parseBytes(String s) throws BuiltinError {
        String[] p = split("units.parse_bytes", s);
        BigDecimal x = new BigDecimal(p[0]);
        String suf = p[1].toLowerCase(Locale.ROOT);
        if (suf.endsWith("b")) suf = suf.substring(0, suf.length() - 1);
        BigDecimal out;
        if (suf.isEmpty()) {
            out = x;
        } else if (suf.length() == 2 && suf.charAt(1) == 'i' && BINARY.indexOf(suf.charAt(0)) >= 0) {
            out = x.multiply(BigDecimal.valueOf(2).pow(10 * (BINARY.indexOf(suf.charAt(0)) + 1)));
        } else if (suf.length() == 1 && "kmgtpezyrq".indexOf(suf.charAt(0)) >= 0) {
            int e = switch (suf.charAt(0)) {
                case 'k' -> 3; case 'm' -> 6; case 'g' -> 9; case 't' -> 12; case 'p' -> 15;
                case 'e' -> 18; case 'z' -> 21; case 'y' -> 24; case 'r' -> 27; default -> 30;
            };
            out = x.scaleByPowerOfTen(e);
        } else {
            throw new BuiltinError("units.parse_bytes: unknown unit suffix \"" + p[1] + "\"");
        }
        return out.setScale(0, RoundingMode.DOWN);
    }
}
