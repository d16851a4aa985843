package io.katacc.policy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.policy.Policy;
import io.katacc.policy.agent.AgentPolicy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Bench main: per-decision latency over a Kata corpus with warm engines, and parse+index time of a
 * large policy. Prints the figures; no pass/fail.
 */
public final class PolicyBench {
    private static final Pattern LINE = Pattern.compile("^\\[\"ep\"\\s*:\\s*\"([A-Za-z0-9_]+)\"\\s*,(.*)\\]\\s*,?\\s*$");

    private PolicyBench() {}

    private record Request(String entry, JsonNode input) {}

    private record Case(String policy, List<Request> requests) {}

    public static void run(Path dir, int rounds, PrintStream out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path large = dir.resolve("large.rego");
        if (Files.isRegularFile(large)) {
            String text = Files.readString(large);
            long[] t = new long[60];
            for (int i = 0; i < 20; i++) Policy.parse("large.rego", text);
            for (int i = 0; i < t.length; i++) {
                long s = System.nanoTime();
                Policy.parse("large.rego", text);
                t[i] = System.nanoTime() - s;
            }
            Arrays.sort(t);
            out.printf("parse+index large.rego (%d KiB): median %.2f ms, p90 %.2f ms (%d runs)%n",
                    text.length() / 1024, t[t.length / 2] / 1e6, t[t.length * 9 / 10] / 1e6, t.length);
        }
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> st = Files.list(dir)) {
            for (Path c : st.filter(p -> Files.isRegularFile(p.resolve("inputs.txt"))).sorted().toList()) {
                List<Request> reqs = new ArrayList<>();
                for (String l : Files.readAllLines(c.resolve("inputs.txt"))) {
                    Matcher m = LINE.matcher(l.trim());
                    if (m.matches()) reqs.add(new Request(m.group(1), json.readTree(m.group(2))));
                }
                cases.add(new Case(Files.readString(c.resolve("policy.rego")), reqs));
            }
        }
        if (cases.isEmpty()) return;
        List<AgentPolicy> engines = new ArrayList<>();
        for (Case c : cases) engines.add(new AgentPolicy("policy.rego", c.policy()));
        int perRound = cases.stream().mapToInt(c -> c.requests().size()).sum();
        long[] lat = new long[perRound * rounds];
        int n = 0;
        for (int r = -Math.max(3, rounds / 2); r < rounds; r++) { // negative rounds warm up
            for (int i = 0; i < cases.size(); i++) {
                AgentPolicy p = engines.get(i);
                for (Request q : cases.get(i).requests()) {
                    long s = System.nanoTime();
                    p.check(q.entry(), q.input());
                    long d = System.nanoTime() - s;
                    if (r >= 0) lat[n++] = d;
                }
            }
        }
        Arrays.sort(lat);
        double mean = Arrays.stream(lat).average().orElse(0);
        out.printf("decision latency over %d requests x %d rounds: median %.1f us, p90 %.1f us, p99 %.1f us, mean %.1f us%n",
                perRound, rounds, lat[lat.length / 2] / 1e3, lat[lat.length * 9 / 10] / 1e3, lat[lat.length * 99 / 100] / 1e3, mean / 1e3);
    }
}
