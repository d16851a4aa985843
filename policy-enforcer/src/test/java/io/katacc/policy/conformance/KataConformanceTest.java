package io.katacc.policy.conformance;

import io.katacc.policy.builtin.BuiltinRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Every request of every Kata case: decision and print output as Kata's agent (regorus) produced them. */
class KataConformanceTest {
    private static final Pattern CALL = Pattern.compile("\\b([a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)*)\\(");

    @Test
    void kataCorpusDecidesAndPrintsExactlyAsTheAgent() throws Exception {
        Path dir = SharedData.dir("kata-policy");
        assertTrue(Files.isDirectory(dir), "missing " + dir);
        BuiltinRegistry reg = BuiltinRegistry.standard();
        TreeSet<String> missing = missingBuiltins(dir, reg);
        // The builtin library is written in parallel (see BUILTINS.md); without it the corpus cannot run.
        Assumptions.assumeTrue(missing.isEmpty(), "builtins not yet in the registry: " + missing);
        Summary s = KataReplay.run(dir, reg);
        assertEquals(List.of(), s.failures, s.line());
        assertTrue(s.passed >= 300, "expected the whole corpus to run, got " + s.line());
    }

    /** Builtin names called in the policies that neither the registry nor the policy itself defines. */
    static TreeSet<String> missingBuiltins(Path dir, BuiltinRegistry reg) throws Exception {
        TreeSet<String> missing = new TreeSet<>();
        try (Stream<Path> st = Files.list(dir)) {
            for (Path c : st.filter(p -> Files.isRegularFile(p.resolve("policy.rego"))).toList()) {
                String text = Files.readString(c.resolve("policy.rego"));
                TreeSet<String> defined = new TreeSet<>();
                Matcher d = Pattern.compile("(?m)^([a-z_][a-z0-9_]*)\\(").matcher(text);
                while (d.find()) defined.add(d.group(1));
                Matcher m = CALL.matcher(text.replaceAll("(?m)#.*$", "").replaceAll("\"([^\"\\\\]|\\\\.)*\"", "\"\""));
                while (m.find()) {
                    String n = m.group(1);
                    if (!defined.contains(n) && !n.equals("print") && !reg.contains(n)) missing.add(n);
                }
            }
        }
        return missing;
    }
}
