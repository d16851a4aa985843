package io.katacc.policy.builtin.lib;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** RE2 regular expressions (re2j), with Go's semantics for find-all and split. */
final class Regex {
    private Regex() {}

    /** Compiled patterns; policies use a handful of constant patterns, so the cache stays small. */
    private static final int CACHE_LIMIT = 1024;
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    static void registerAll(BuiltinRegistry r) {
        r.register("regex.match", 2, (c, a) ->
                Value.bool(compile("regex.match", Args.str("regex.match", a, 0)).matcher(Args.str("regex.match", a, 1)).find()));
        r.register("regex.is_valid", 1, (c, a) -> {
            if (!(a.get(0) instanceof StringValue s)) return Value.FALSE;
            try {
                compile("regex.is_valid", s.value());
                return Value.TRUE;
            } catch (BuiltinError e) {
                return Value.FALSE;
            }
        });
        r.register("regex.find_n", 3, (c, a) -> {
            Pattern p = compile("regex.find_n", Args.str("regex.find_n", a, 0));
            String s = Args.str("regex.find_n", a, 1);
            List<String> out = new ArrayList<>();
            for (int[] m : findAll(p, s, Args.integer("regex.find_n", a, 2))) out.add(s.substring(m[0], m[1]));
            return Args.strArray(out);
        });
        r.register("regex.find_all_string_submatch_n", 3, (c, a) -> {
            String fn = "regex.find_all_string_submatch_n";
            Pattern p = compile(fn, Args.str(fn, a, 0));
            String s = Args.str(fn, a, 1);
            List<Value> out = new ArrayList<>();
            for (int[] m : findAll(p, s, Args.integer(fn, a, 2))) {
                List<Value> groups = new ArrayList<>();
                for (int g = 0; g < m.length / 2; g++) {
                    groups.add(Value.str(m[2 * g] < 0 ? "" : s.substring(m[2 * g], m[2 * g + 1])));
                }
                out.add(new ArrayValue(groups));
            }
            return new ArrayValue(out);
        });
        r.register("regex.template_match", 4, (c, a) -> {
            String fn = "regex.template_match";
            Pattern p = compile(fn, template(Args.str(fn, a, 0), Args.str(fn, a, 2), Args.str(fn, a, 3)));
            return Value.bool(p.matches(Args.str(fn, a, 1)));
        });
        r.register("regex.split", 2, (c, a) ->
                Args.strArray(split(compile("regex.split", Args.str("regex.split", a, 0)), Args.str("regex.split", a, 1))));
        r.register("regex.replace", 3, (c, a) -> {
            String s = Args.str("regex.replace", a, 0);
            Pattern p = compile("regex.replace", Args.str("regex.replace", a, 1));
            String with = Args.str("regex.replace", a, 2);
            return Value.str(replaceAll(p, s, with));
        });
    }

    /** A template "lit{re}lit" (delimiters single characters) as an anchored pattern: literals quoted, regexes as they are. */
    static String template(String t, String open, String close) throws BuiltinError {
        if (open.codePointCount(0, open.length()) != 1 || close.codePointCount(0, close.length()) != 1) {
            throw new BuiltinError("regex.template_match: delimiters must be single characters");
        }
        StringBuilder out = new StringBuilder("^");
        StringBuilder lit = new StringBuilder();
        int depth = 0, start = -1;
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (t.startsWith(open, i)) {
                if (depth++ == 0) {
                    if (!lit.isEmpty()) out.append(Pattern.quote(lit.toString()));
                    lit.setLength(0);
                    start = i + 1;
                    continue;
                }
            } else if (t.startsWith(close, i) && depth > 0) {
                if (--depth == 0) {
                    out.append("(?:").append(t, start, i).append(')');
                    continue;
                }
            }
            if (depth == 0) lit.append(ch);
        }
        if (depth != 0) throw new BuiltinError("regex.template_match: unbalanced delimiters in " + t);
        if (!lit.isEmpty()) out.append(Pattern.quote(lit.toString()));
        return out.append('$').toString();
    }

    static Pattern compile(String fn, String pattern) throws BuiltinError {
        Pattern p = CACHE.get(pattern);
        if (p != null) return p;
        try {
            p = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new BuiltinError(fn + ": invalid regular expression: " + e.getMessage());
        }
        if (CACHE.size() >= CACHE_LIMIT) CACHE.clear();
        CACHE.put(pattern, p);
        return p;
    }

    /**
     * Go's FindAll*Index: successive non-overlapping matches, ignoring an empty match that abuts the
     * previous match; {@code n < 0} means all. Each entry holds start/end pairs for every group.
     */
    static List<int[]> findAll(Pattern p, String s, int n) {
        List<int[]> out = new ArrayList<>();
        if (n == 0) return out;
        Matcher m = p.matcher(s);
        int prevEnd = -1;
        int pos = 0;
        while (pos <= s.length() && (n < 0 || out.size() < n) && m.find(pos)) {
            int st = m.start(), en = m.end();
            if (st == en && st == prevEnd) {
                // An empty match right after the previous one: retry one code point further.
                if (st >= s.length()) break;
                pos = st + Character.charCount(s.codePointAt(st));
                continue;
            }
            int[] g = new int[2 * (m.groupCount() + 1)];
            for (int k = 0; k <= m.groupCount(); k++) {
                g[2 * k] = m.start(k);
                g[2 * k + 1] = m.end(k);
            }
            out.add(g);
            prevEnd = en;
            if (en == st) {
                if (en >= s.length()) break;
                pos = en + Character.charCount(s.codePointAt(en));
            } else {
                pos = en;
            }
        }
        return out;
    }

    /** Go's ReplaceAllString: {@code $1}, {@code $name}, {@code ${name}}, {@code $$}; unknown groups expand to "". */
    static String replaceAll(Pattern p, String s, String template) {
        StringBuilder out = new StringBuilder();
        int last = 0;
        for (int[] m : findAll(p, s, -1)) {
            out.append(s, last, m[0]);
            expand(out, p, s, m, template);
            last = m[1];
        }
        return out.append(s.substring(last)).toString();
    }

    private static void expand(StringBuilder out, Pattern p, String s, int[] m, String t) {
        int i = 0;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c != '$' || i + 1 >= t.length()) {
                out.append(c);
                i++;
                continue;
            }
            if (t.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int next;
            if (t.charAt(i + 1) == '{') {
                int close = t.indexOf('}', i + 2);
                if (close < 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = t.substring(i + 2, close);
                next = close + 1;
            } else {
                int j = i + 1;
                while (j < t.length() && (Character.isLetterOrDigit(t.charAt(j)) || t.charAt(j) == '_')) j++;
                name = t.substring(i + 1, j);
                next = j;
            }
            if (name.isEmpty()) { // a lone '$' is kept, as Go
                out.append(c);
                i++;
                continue;
            }
            int g = -1;
            if (name.chars().allMatch(Character::isDigit)) {
                try {
                    g = Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    g = -1;
                }
            } else if (p.namedGroups().containsKey(name)) {
                g = p.namedGroups().get(name);
            }
            if (g >= 0 && g < m.length / 2 && m[2 * g] >= 0) out.append(s, m[2 * g], m[2 * g + 1]);
            i = next;
        }
    }

    /** Go's Regexp.Split(s, -1). */
    static List<String> split(Pattern p, String s) {
        List<String> out = new ArrayList<>();
        if (!p.pattern().isEmpty() && s.isEmpty()) {
            out.add("");
            return out;
        }
        int beg = 0, end = 0;
        for (int[] m : findAll(p, s, -1)) {
            end = m[0];
            if (m[1] != 0) out.add(s.substring(beg, end));
            beg = m[1];
        }
        if (end != s.length()) out.add(s.substring(beg));
        return out;
    }
}
