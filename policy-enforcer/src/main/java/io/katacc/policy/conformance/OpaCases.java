package io.katacc.policy.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.katacc.policy.EvalResult;
import io.katacc.policy.Engine;
import io.katacc.policy.Policy;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.eval.EvalError;
import io.katacc.policy.eval.Limits;
import io.katacc.policy.parse.Parser;
import io.katacc.policy.parse.SyntaxError;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.Value;
import io.katacc.policy.value.ValueJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs OPA-style YAML test cases ({@code cases:} with modules, data, input, query, want_result, ...),
 * in regorus' dialect and OPA's own.
 */
public final class OpaCases {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Regorus-only engine features; cases using them are skipped. */
    private static final Map<String, String> ENGINE_ONLY = Map.of(
            "want_inferred_resource_types", "regorus-only resource type inference",
            "execution_timer", "regorus-only execution timer",
            "global_execution_timer", "regorus-only execution timer",
            "time_source", "regorus-only injectable time source");

    private OpaCases() {}

    public static Summary run(Path dir) throws IOException {
        return run(dir, rel -> true);
    }

    /** Runs the YAML files under {@code dir} whose path relative to it passes {@code include}. */
    public static Summary run(Path dir, java.util.function.Predicate<String> include) throws IOException {
        Summary s = new Summary();
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(dir)) {
            files.add(dir);
        } else {
            try (Stream<Path> st = Files.walk(dir)) {
                st.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().forEach(files::add);
            }
        }
        BuiltinRegistry builtins = BuiltinRegistry.standard();
        for (Path f : files) {
            String rel = Files.isRegularFile(dir) ? f.getFileName().toString() : dir.relativize(f).toString();
            if (!include.test(rel)) continue;
            if (rel.startsWith("rego-extensions/")) {
                s.skip(rel + ": regorus-only language extensions (not Rego; OPA rejects them)");
                continue;
            }
            if (rel.startsWith("target/") || rel.contains("/target/")) {
                s.skip(rel + ": target/ cases exercise regorus' resource-type targets (engine-only feature)");
                continue;
            }
            JsonNode doc;
            try {
                doc = YAML.readTree(f.toFile());
            } catch (IOException e) {
                s.fail(rel + ": unreadable YAML: " + e.getMessage());
                continue;
            }
            JsonNode cases = doc == null ? null : doc.get("cases");
            if (cases == null || !cases.isArray()) {
                s.fail(rel + ": no cases list");
                continue;
            }
            for (JsonNode c : cases) runCase(rel, c, builtins, s);
        }
        return s;
    }

    static void runCase(String file, JsonNode c, BuiltinRegistry builtins, Summary s) {
        String note = file + ": " + c.path("note").asText("?");
        if (c.path("skip").asBoolean(false)) {
            s.skip(note + ": marked skip in the case file");
            return;
        }
        for (Map.Entry<String, String> e : ENGINE_ONLY.entrySet()) {
            if (c.has(e.getKey())) {
                s.skip(note + ": " + e.getValue());
                return;
            }
        }
        boolean wantError = c.has("error") || c.has("want_error") || c.has("want_error_code");
        try {
            List<Policy.Source> srcs = new ArrayList<>();
            int i = 0;
            for (JsonNode m : c.path("modules")) srcs.add(new Policy.Source("rego_" + (i++), m.asText()));
            Policy policy = Policy.parse(srcs, Limits.DEFAULT);
            boolean strict = !c.has("strict_error") || c.path("strict_error").asBoolean(true);
            Engine engine = new Engine(policy, builtins, Limits.DEFAULT, strict);
            Value input = null;
            if (c.has("input")) input = ValueJson.fromJson(c.get("input"));
            if (c.has("input_term")) input = termValue(c.get("input_term").asText());
            Value data = c.has("data") && !c.get("data").isNull() ? ValueJson.fromJson(c.get("data")) : ObjectValue.EMPTY;
            EvalResult r;
            if (input instanceof ObjectValue io && io.size() == 1 && io.get("many!") instanceof ArrayValue many) {
                // regorus: evaluate the query once per input; results compare as many!
                List<Value> vals = new ArrayList<>();
                List<String> prints = new ArrayList<>();
                for (Value in : many.elements()) {
                    EvalResult one = engine.evaluate(c.path("query").asText(), in, data);
                    vals.addAll(one.values());
                    prints.addAll(one.prints());
                }
                r = new EvalResult(vals, prints);
            } else {
                r = engine.evaluate(c.path("query").asText(), input, data);
            }
            if (wantError) {
                s.fail(note + ": expected an error, got " + r.values());
                return;
            }
            if (c.has("want_prints")) {
                List<String> want = new ArrayList<>();
                c.get("want_prints").forEach(p -> want.add(p.asText()));
                if (!want.equals(r.prints())) {
                    s.fail(note + ": prints " + r.prints() + ", expected " + want);
                    return;
                }
            }
            if (c.path("no_result").asBoolean(false)) {
                if (r.isUndefined()) s.pass();
                else s.fail(note + ": expected no result, got " + r.values());
                return;
            }
            if (c.has("want_defined")) {
                boolean want = c.get("want_defined").asBoolean();
                if (want != !r.isUndefined()) s.fail(note + ": defined=" + !r.isUndefined());
                else s.pass();
                return;
            }
            if (!c.has("want_result")) {
                s.pass();
                return;
            }
            Value want = convert(ValueJson.fromJson(c.get("want_result")));
            if (matches(want, r, c.path("sort_bindings").asBoolean(false))) s.pass();
            else s.fail(note + ": got " + (r.isUndefined() ? "<undefined>" : r.values()) + ", expected " + want);
        } catch (SyntaxError | EvalError | IllegalArgumentException e) {
            if (wantError) s.pass();
            else s.fail(note + ": unexpected error: " + e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            if (wantError) s.pass();
            else s.fail(note + ": internal error: " + e);
        }
    }

    private static boolean matches(Value want, EvalResult r, boolean sortBindings) {
        if (want instanceof ObjectValue o && o.size() == 1 && o.get("many!") instanceof ArrayValue many) {
            if (many.size() != r.values().size()) return false;
            for (int i = 0; i < many.size(); i++) {
                if (!equalish(many.get(i), r.values().get(i), sortBindings)) return false;
            }
            return true;
        }
        if (r.values().size() == 1 && equalish(want, r.values().getFirst(), sortBindings)) return true;
        if (want instanceof ArrayValue wa) { // OPA: a list of binding objects, compared as a set
            Set<Value> a = new HashSet<>(), b = new HashSet<>();
            for (Value v : wa.elements()) a.add(sortBindings ? sortArrays(v) : v);
            for (Value v : r.values()) b.add(sortBindings ? sortArrays(v) : v);
            return a.equals(b) && !r.values().isEmpty();
        }
        return false;
    }

    private static boolean equalish(Value want, Value got, boolean sort) {
        Value w = stringKeys(want), g = stringKeys(got);
        return sort ? sortArrays(w).equals(sortArrays(g)) : w.equals(g);
    }

    /** YAML expectations can only spell object keys as strings; compare non-string keys by their JSON text. */
    private static Value stringKeys(Value v) {
        if (v instanceof ObjectValue o) {
            TreeMap<Value, Value> m = new TreeMap<>();
            o.fields().forEach((k, x) -> m.put(k instanceof io.katacc.policy.value.StringValue ? k : Value.str(k.toJson()), stringKeys(x)));
            return ObjectValue.adopt(m);
        }
        if (v instanceof ArrayValue a) {
            List<Value> es = new ArrayList<>();
            for (Value e : a.elements()) es.add(stringKeys(e));
            return new ArrayValue(es);
        }
        if (v instanceof SetValue st) {
            List<Value> es = new ArrayList<>();
            for (Value e : st.elements()) es.add(stringKeys(e));
            return SetValue.of(es);
        }
        return v;
    }

    private static Value sortArrays(Value v) {
        if (v instanceof ArrayValue a) {
            List<Value> es = new ArrayList<>();
            for (Value e : a.elements()) es.add(sortArrays(e));
            es.sort(null);
            return new ArrayValue(es);
        }
        if (v instanceof ObjectValue o) {
            TreeMap<Value, Value> m = new TreeMap<>();
            o.fields().forEach((k, x) -> m.put(k, sortArrays(x)));
            return ObjectValue.adopt(m);
        }
        return v;
    }

    /** Regorus' YAML encodes sets as {@code {"set!": [...]}}. */
    static Value convert(Value v) {
        if (v instanceof ObjectValue o) {
            if (o.size() == 1 && o.get("object!") instanceof ArrayValue a) {
                TreeMap<Value, Value> m = new TreeMap<>();
                for (Value e : a.elements()) {
                    if (e instanceof ObjectValue kv && kv.get("key") != null && kv.get("value") != null) {
                        m.put(convert(kv.get("key")), convert(kv.get("value")));
                    }
                }
                return ObjectValue.adopt(m);
            }
            if (o.size() == 1 && o.get("set!") instanceof ArrayValue a) {
                List<Value> es = new ArrayList<>();
                for (Value e : a.elements()) es.add(convert(e));
                return SetValue.of(es);
            }
            TreeMap<Value, Value> m = new TreeMap<>();
            o.fields().forEach((k, x) -> m.put(convert(k), convert(x)));
            return ObjectValue.adopt(m);
        }
        if (v instanceof ArrayValue a) {
            List<Value> es = new ArrayList<>();
            for (Value e : a.elements()) es.add(convert(e));
            return new ArrayValue(es);
        }
        return v;
    }

    /** Evaluates a Rego term given as text (OPA's input_term). */
    private static Value termValue(String text) {
        Engine e = new Engine(Policy.parse("input_term", "package input_term\n"));
        EvalResult r = e.evaluate(text, (Value) null, ObjectValue.EMPTY);
        if (r.isUndefined()) throw new IllegalArgumentException("input_term is undefined: " + text);
        Parser.parseQuery(text);
        return r.values().getFirst();
    }
}
