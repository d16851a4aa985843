package io.katacc.policy.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.policy.EvalResult;
import io.katacc.policy.Engine;
import io.katacc.policy.Policy;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.Value;
import io.katacc.policy.value.ValueJson;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LanguageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Value json(String s) {
        try {
            return ValueJson.fromJson(JSON.readTree(s));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static EvalResult eval(String policy, String query, String input) {
        Engine e = new Engine(Policy.parse("t.rego", policy));
        return e.evaluate(query, input == null ? null : json(input), ObjectValue.EMPTY);
    }

    static String value(String policy, String query, String input) {
        EvalResult r = eval(policy, query, input);
        return r.isUndefined() ? "undefined" : r.values().getFirst().toJson();
    }

    static String value(String policy, String query) {
        return value(policy, query, null);
    }

    @Test
    void completeRulesDefaultsAndUndefinedVsFalse() {
        String p = """
                package t
                default d := 7
                a { input.x == 1 }
                b = false { true }
                c := 3
                """;
        assertEquals("true", value(p, "data.t.a", "{\"x\":1}"));
        assertEquals("undefined", value(p, "data.t.a", "{\"x\":2}"));
        assertEquals("false", value(p, "data.t.b"));
        assertEquals("7", value(p, "data.t.d"));
        assertEquals("{\"b\":false,\"c\":3,\"d\":7}", value(p, "data.t"));
    }

    @Test
    void partialSetAndObjectRules() {
        String p = """
                package t
                s[x] { some x in input.xs; x > 1 }
                o[k] = v { some k, v in input.m; v != 0 }
                import rego.v1
                """;
        assertEquals("[2,3]", value(p, "data.t.s", "{\"xs\":[1,2,3,3],\"m\":{}}"));
        assertEquals("{\"a\":1}", value(p, "data.t.o", "{\"xs\":[],\"m\":{\"a\":1,\"b\":0}}"));
        String v1 = """
                package t
                import rego.v1
                s contains x if some x in [3, 1]
                p[a][b] if { some a, obj in input; some b, _ in obj }
                q.r.s := 5
                """;
        assertEquals("[1,3]", value(v1, "data.t.s", "{}"));
        assertEquals("{\"x\":{\"y\":true}}", value(v1, "data.t.p", "{\"x\":{\"y\":0}}"));
        assertEquals("5", value(v1, "data.t.q.r.s", "{}"));
        assertEquals("{\"s\":5}", value(v1, "data.t.q.r", "{}"));
    }

    @Test
    void functionsElseAndMultipleDefinitions() {
        String p = """
                package t
                f(x) = "neg" { x < 0 }
                f(x) = "pos" { x > 0 }
                g(x) = 1 { x == "a" } else = 2 { x == "b" } else = 3
                h([a, b]) := a + b
                r1 := f(-5)
                r2 := f(0)
                r3 := [g("a"), g("b"), g("c")]
                r4 := h([2, 3])
                """;
        assertEquals("\"neg\"", value(p, "data.t.r1"));
        assertEquals("undefined", value(p, "data.t.r2"));
        assertEquals("[1,2,3]", value(p, "data.t.r3"));
        assertEquals("5", value(p, "data.t.r4"));
    }

    @Test
    void iterationUnificationAndComprehensions() {
        String p = """
                package t
                import future.keywords.in
                import future.keywords.every
                pairs := [[i, x] | x := input.xs[i]]
                doubled := {x * 2 | some x in input.xs}
                byname := {n: c | some item in input.items; n := item.name; c := count(item.tags)}
                destr := a + b { [a, b] = [1, 2] }
                found { input.items[_].name == "y" }
                notfound { not input.items[0].name == "y" }
                all_pos { every x in input.xs { x > 0 } }
                member := 2 in input.xs
                kv := {k | some k, "y" in {"a": "y", "b": "z"}}
                """;
        String in = "{\"xs\":[3,4],\"items\":[{\"name\":\"x\",\"tags\":[1]},{\"name\":\"y\",\"tags\":[]}]}";
        assertEquals("[[0,3],[1,4]]", value(p, "data.t.pairs", in));
        assertEquals("[6,8]", value(p, "data.t.doubled", in));
        assertEquals("{\"x\":1,\"y\":0}", value(p, "data.t.byname", in));
        assertEquals("3", value(p, "data.t.destr", in));
        assertEquals("true", value(p, "data.t.found", in));
        assertEquals("true", value(p, "data.t.notfound", in));
        assertEquals("true", value(p, "data.t.all_pos", in));
        assertEquals("false", value(p, "data.t.member", in));
        assertEquals("[\"a\"]", value(p, "data.t.kv", in));
    }

    @Test
    void withReplacesInputAndData() {
        String p = """
                package t
                x := input.a + data.base.n
                y := v { v := x with input as {"a": 10} with data.base.n as 5 }
                z := v { v := x with input.a as 1 }
                """;
        Engine e = new Engine(Policy.parse(p));
        assertEquals("15", e.evaluate("data.t.y", json("{\"a\":1}"), json("{\"base\":{\"n\":2}}")).values().getFirst().toJson());
        assertEquals("3", e.evaluate("data.t.z", json("{\"a\":100}"), json("{\"base\":{\"n\":2}}")).values().getFirst().toJson());
        assertEquals("102", e.evaluate("data.t.x", json("{\"a\":100}"), json("{\"base\":{\"n\":2}}")).values().getFirst().toJson());
    }

    @Test
    void numbersAreArbitraryPrecisionForIntegers() {
        String p = """
                package t
                big := 9007199254740993 + 1
                huge := 123456789012345678901234567890 * 10
                frac := 21 / 5
                m := 7 % 3
                sets := ({1, 2, 3} - {2}) | {9}
                """;
        assertEquals("9007199254740994", value(p, "data.t.big"));
        assertEquals("1234567890123456789012345678900", value(p, "data.t.huge"));
        assertEquals("4.2", value(p, "data.t.frac"));
        assertEquals("1", value(p, "data.t.m"));
        assertEquals("[1,3,9]", value(p, "data.t.sets"));
    }

    @Test
    void conflictsAreErrors() {
        EvalError e1 = assertThrows(EvalError.class, () -> value("package t\np = 1 { true }\np = 2 { true }", "data.t.p"));
        assertEquals(EvalError.Code.CONFLICT, e1.code());
        EvalError e2 = assertThrows(EvalError.class, () -> value("package t\no[k] = v { some k, v in {\"a\": 1}; true }\no[\"a\"] = 2 { true }", "data.t.o"));
        assertEquals(EvalError.Code.CONFLICT, e2.code());
        EvalError e3 = assertThrows(EvalError.class, () -> value("package t\nf(x) = 1 { true }\nf(x) = 2 { true }\nr := f(0)", "data.t.r"));
        assertEquals(EvalError.Code.CONFLICT, e3.code());
        assertTrue(e3.getMessage().contains("functions must not produce multiple outputs"));
    }

    @Test
    void printIsCollectedWithFileAndLine() {
        EvalResult r = eval("package t\np {\n  print(\"x =\", input.x, input.missing)\n}", "data.t.p", "{\"x\":[\"a\"]}");
        assertEquals(java.util.List.of("t.rego:3: x = [\"a\"] <undefined>"), r.prints());
    }

    @Test
    void builtinErrorsAreUndefinedUnlessStrict() {
        String p = "package t\nr := 1 / 0\ns := count(5)";
        assertEquals("undefined", value(p, "data.t.r"));
        assertEquals("undefined", value(p, "data.t.s"));
        Engine strict = new Engine(Policy.parse(p), BuiltinRegistry.standard(), Limits.DEFAULT, true);
        EvalError e = assertThrows(EvalError.class, () -> strict.evaluate("data.t.s", (Value) null, ObjectValue.EMPTY));
        assertEquals(EvalError.Code.TYPE, e.code());
    }

    @Test
    void undefinedBuiltinResultIsNotAnErrorEvenWhenStrict() {
        BuiltinRegistry reg = new BuiltinRegistry()
                .register("t.nothing", 1, (ctx, a) -> { throw io.katacc.policy.builtin.BuiltinError.undefined("no result"); })
                .register("t.fail", 1, (ctx, a) -> { throw new io.katacc.policy.builtin.BuiltinError("broken"); });
        Policy p = Policy.parse("package t\nr := t.nothing(1)\ns := t.fail(1)");
        Engine strict = new Engine(p, reg, Limits.DEFAULT, true);
        assertTrue(strict.evaluate("data.t.r", (Value) null, ObjectValue.EMPTY).isUndefined());
        EvalError e = assertThrows(EvalError.class, () -> strict.evaluate("data.t.s", (Value) null, ObjectValue.EMPTY));
        assertEquals(EvalError.Code.BUILTIN, e.code());
        assertTrue(new Engine(p, reg, Limits.DEFAULT, false).evaluate("data.t.s", (Value) null, ObjectValue.EMPTY).isUndefined());
    }

    @Test
    void limitsStopHostilePolicies() {
        String loop = "package t\nr := count([x | some a in numbers; some b in numbers; x := a + b])\nnumbers := [i | some i, _ in array10k]\narray10k := [j | some j in [0,1,2,3,4,5,6,7,8,9]]";
        Engine small = new Engine(Policy.parse(loop), BuiltinRegistry.standard(), new Limits(1 << 20, 50, 100), false);
        EvalError e = assertThrows(EvalError.class, () -> small.evaluate("data.t.r", (Value) null, ObjectValue.EMPTY));
        assertEquals(EvalError.Code.LIMIT, e.code());
        assertTrue(e.getMessage().contains("steps"));
        assertThrows(IllegalArgumentException.class,
                () -> Policy.parse(java.util.List.of(new Policy.Source("big", "package t\n" + "#".repeat(2000))), new Limits(1000, 10, 10)));
        String deep = "package t\nx := " + "[".repeat(5000) + "]".repeat(5000);
        io.katacc.policy.parse.SyntaxError se = assertThrows(io.katacc.policy.parse.SyntaxError.class, () -> Policy.parse(deep));
        assertTrue(se.getMessage().contains("nesting"));
        EvalError rec = assertThrows(EvalError.class, () -> value("package t\na := b\nb := a", "data.t.a"));
        assertEquals(EvalError.Code.RECURSION, rec.code());
    }

    @Test
    void syntaxErrorsNameFileLineAndColumn() {
        io.katacc.policy.parse.SyntaxError e = assertThrows(io.katacc.policy.parse.SyntaxError.class,
                () -> Policy.parse("my.rego", "package t\n\np {\n  x := [1, 2\n}\n"));
        assertEquals("my.rego", e.file());
        assertEquals(5, e.line());
        assertEquals(1, e.column());
        assertTrue(e.getMessage().startsWith("my.rego:5:1: "), e.getMessage());
        io.katacc.policy.parse.SyntaxError e2 = assertThrows(io.katacc.policy.parse.SyntaxError.class,
                () -> Policy.parse("a.rego", "package t\np := \"unterminated\n"));
        assertEquals(2, e2.line());
        assertEquals(6, e2.column());
    }

    @Test
    void unsafeVariablesAreReported() {
        EvalError e = assertThrows(EvalError.class, () -> value("package t\np { count(zz) > 0 }", "data.t.p"));
        assertEquals(EvalError.Code.UNSAFE_VAR, e.code());
    }
}
