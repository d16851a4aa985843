package io.katacc.policy.conformance;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The regorus/OPA YAML language cases under ../shared/data/rego-cases. */
class RegoCasesConformanceTest {
    @Test
    void regoCasesPassAtLeast95Percent() throws Exception {
        Path dir = SharedData.dir("rego-cases");
        assertTrue(Files.isDirectory(dir), "missing " + dir);
        Summary s = OpaCases.run(dir);
        System.out.println("rego-cases: " + s.line());
        s.failures.forEach(f -> System.out.println("FAIL " + f));
        // Skips are only for regorus-engine-only features or cases the files mark skip (listed in README.md).
        assertTrue(s.skips.stream().allMatch(k -> k.contains("regorus-only") || k.contains("engine-only") || k.contains("marked skip")),
                "unexpected skip reason: " + s.skips);

        // The language cases (everything outside builtins/) hold the evaluator to 95% on its own.
        Summary part = OpaCases.run(dir, rel -> !rel.startsWith("builtins/"));
        Summary lang = new Summary();
        lang.passed = part.passed;
        // a case that only fails for want of a builtin says nothing about the evaluator
        lang.failed = (int) part.failures.stream().filter(f -> !f.contains("unknown function")).count();
        double langRate = (double) lang.passed / (lang.passed + lang.failed);
        assertTrue(langRate >= 0.95, String.format("language cases pass rate %.3f: %s", langRate, lang.line()));

        // The whole set, builtins included, as the issue requires.
        long builtinFailures = s.failures.stream().filter(f -> f.startsWith("builtins/")).count();
        double rate = (double) s.passed / (s.passed + s.failed);
        assertTrue(rate >= 0.95, String.format("overall pass rate %.3f (%s), %d failures in builtins/",
                rate, s.line(), builtinFailures));
    }
}
