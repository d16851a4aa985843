package io.katacc.policy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void evalPrintsResultAndPrints(@TempDir Path tmp) throws Exception {
        Path p = Files.writeString(tmp.resolve("p.rego"), "package x\nallow { print(\"user\", input.user); input.user == \"alice\" }\n");
        Path i = Files.writeString(tmp.resolve("i.json"), "{\"user\":\"alice\"}");
        assertEquals(0, run("eval", "--policy", p.toString(), "--input", i.toString(), "data.x.allow"));
        assertEquals("true", out.toString().trim());
        assertTrue(err.toString().contains("p.rego:2: user alice"), err.toString());
    }

    @Test
    void syntaxErrorsNamePosition(@TempDir Path tmp) throws Exception {
        Path p = Files.writeString(tmp.resolve("bad.rego"), "package x\nallow {\n  input.a ==\n}\n");
        assertEquals(1, run("eval", "--policy", p.toString(), "data.x.allow"));
        assertTrue(err.toString().contains("bad.rego:4:1:"), err.toString());
    }

    @Test
    void kataReplayEndsWithSummaryLineAndFailsOnMismatch(@TempDir Path tmp) throws Exception {
        Path c = Files.createDirectories(tmp.resolve("case1"));
        Files.writeString(c.resolve("policy.rego"), "package agent_policy\ndefault A := false\nA { input.ok }\n");
        Files.writeString(c.resolve("inputs.txt"), "[\"ep\":\"A\",{\"ok\":true}],\n\n[\"ep\":\"A\",{\"ok\":false}],\n");
        Files.writeString(c.resolve("outputs.json"), "[true, true]");
        Files.writeString(c.resolve("prints.json"), "[[], []]");
        assertEquals(1, run("kata-replay", tmp.toString()));
        String[] lines = out.toString().trim().split("\n");
        assertEquals("1 passed, 1 failed, 0 skipped", lines[lines.length - 1]);
    }

    @Test
    void opaCasesRunsYaml(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("t.yaml"), """
                cases:
                  - note: ok
                    modules: ["package t\\np := 1 + 2"]
                    query: data.t.p
                    want_result: 3
                  - note: conflict
                    modules: ["package t\\np := 1\\np := 2"]
                    query: data.t.p
                    want_error_code: eval_conflict_error
                  - note: timer
                    modules: ["package t"]
                    query: data.t
                    execution_timer: 1
                """);
        assertEquals(0, run("opa-cases", tmp.toString()));
        String[] lines = out.toString().trim().split("\n");
        assertEquals("2 passed, 0 failed, 1 skipped", lines[lines.length - 1]);
    }

    @Test
    void unknownCommandIsUsageError() {
        assertEquals(2, run("frob"));
        assertTrue(err.toString().contains("usage"));
    }
}
