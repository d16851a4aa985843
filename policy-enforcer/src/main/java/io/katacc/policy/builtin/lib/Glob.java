package io.katacc.policy.builtin.lib;

import com.google.re2j.Pattern;
import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.NullValue;
import io.katacc.policy.value.Value;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * glob.match with OPA's (gobwas/glob) syntax: {@code *} stops at delimiters, {@code **} does not,
 * {@code ?}, {@code [abc]}, {@code [!a-c]}, {@code {a,b}}, and {@code \} escapes. Delimiters: null means
 * none; an empty array means the default ".".
 */
final class Glob {
    private Glob() {}

    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    static void registerAll(BuiltinRegistry r) {
        r.register("glob.match", 3, (c, a) -> {
            String pattern = Args.str("glob.match", a, 0);
            String delims;
            if (a.get(1) instanceof NullValue) {
                delims = "";
            } else {
                List<String> ds = Args.strings("glob.match", a, 1);
                delims = ds.isEmpty() ? "." : String.join("", ds);
            }
            String key = delims + "\u0000" + pattern;
            Pattern p = CACHE.get(key);
            if (p == null) {
                p = Pattern.compile(toRegex(pattern, delims), Pattern.DOTALL);
                if (CACHE.size() > 1024) CACHE.clear();
                CACHE.put(key, p);
            }
            return Value.bool(p.matches(Args.str("glob.match", a, 2)));
        });
        r.register("glob.quote_meta", 1, (c, a) -> {
            String s = Args.str("glob.quote_meta", a, 0);
            StringBuilder sb = new StringBuilder();
            for (char ch : s.toCharArray()) {
                if ("*?\\[]{}".indexOf(ch) >= 0) sb.append('\\');
                sb.append(ch);
            }
            return Value.str(sb.toString());
        });
    }

    static String toRegex(String glob, String delims) throws BuiltinError {
        String notDelim = delims.isEmpty() ? "." : "[^" + quoteClass(delims) + "]";
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        sb.append(".*");
                        i++;
                    } else {
                        sb.append(notDelim).append('*');
                    }
                }
                case '?' -> sb.append(notDelim);
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) throw new BuiltinError("glob.match: unclosed '[' in pattern " + glob);
                    String body = glob.substring(i + 1, end);
                    boolean neg = body.startsWith("!");
                    if (neg) body = body.substring(1);
                    StringBuilder cls = new StringBuilder();
                    for (char b : body.toCharArray()) {
                        if (b == '-') cls.append('-');
                        else cls.append(quoteClass(String.valueOf(b)));
                    }
                    sb.append('[').append(neg ? "^" : "").append(cls).append(']');
                    i = end;
                }
                case '{' -> {
                    depth++;
                    sb.append("(?:");
                }
                case '}' -> {
                    if (depth == 0) throw new BuiltinError("glob.match: unmatched '}' in pattern " + glob);
                    depth--;
                    sb.append(')');
                }
                case ',' -> sb.append(depth > 0 ? "|" : ",");
                case '\\' -> {
                    if (++i >= glob.length()) throw new BuiltinError("glob.match: trailing '\\' in pattern " + glob);
                    sb.append(Pattern.quote(String.valueOf(glob.charAt(i))));
                }
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (depth != 0) throw new BuiltinError("glob.match: unclosed '{' in pattern " + glob);
        return sb.toString();
    }

    private static String quoteClass(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("\\^]-[".indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }
}
