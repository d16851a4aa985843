package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.Value;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** semver.is_valid and semver.compare (Semantic Versioning 2.0.0; build metadata ignored). */
final class Semver {
    private Semver() {}

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    static void registerAll(BuiltinRegistry r) {
        // A non-string operand is a type error as in regorus (Kata's engine); OPA returns false.
        r.register("semver.is_valid", 1, (c, a) -> Value.bool(SEMVER.matcher(Args.str("semver.is_valid", a, 0)).matches()));
        r.register("semver.compare", 2, (c, a) ->
                Value.num(compare(parse(Args.str("semver.compare", a, 0)), parse(Args.str("semver.compare", a, 1)))));
    }

    private static Matcher parse(String s) throws BuiltinError {
        Matcher m = SEMVER.matcher(s);
        if (!m.matches()) throw new BuiltinError("semver.compare: \"" + s + "\" is not a valid SemVer");
        return m;
    }

    static int compare(Matcher x, Matcher y) {
        for (int g = 1; g <= 3; g++) {
            int c = new BigInteger(x.group(g)).compareTo(new BigInteger(y.group(g)));
            if (c != 0) return Integer.signum(c);
        }
        String px = x.group(4), py = y.group(4);
        if (px == null || py == null) return px == null ? (py == null ? 0 : 1) : -1;
        String[] a = px.split("\\."), b = py.split("\\.");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            boolean na = a[i].chars().allMatch(Character::isDigit), nb = b[i].chars().allMatch(Character::isDigit);
            int c;
            if (na && nb) c = new BigInteger(a[i]).compareTo(new BigInteger(b[i]));
            else if (na || nb) c = na ? -1 : 1;
            else c = a[i].compareTo(b[i]);
            if (c != 0) return Integer.signum(c);
        }
        return Integer.compare(a.length, b.length);
    }
}
