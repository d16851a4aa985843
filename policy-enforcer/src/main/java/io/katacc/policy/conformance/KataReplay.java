package io.katacc.policy.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.policy.agent.AgentPolicy;
import io.katacc.policy.agent.Decision;
import io.katacc.policy.builtin.BuiltinRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Replays Kata agent request logs: each case folder holds policy.rego, inputs.txt (one
 * {@code ["ep":"<Entry>",<input>],} per line), outputs.json (decisions) and prints.json (print output).
 * All lines of a case run in order against one {@link AgentPolicy}, so policy state carries over.
 */
public final class KataReplay {
    private static final Pattern LINE = Pattern.compile("^\\[\"ep\"\\s*:\\s*\"([A-Za-z0-9_]+)\"\\s*,(.*)\\]\\s*,?\\s*$");
    private static final Pattern PRINT_FILE = Pattern.compile("^(.*?):\\d+: ");
    private static final ObjectMapper JSON = new ObjectMapper();

    private KataReplay() {}

    /** Runs every case folder directly under {@code dir} (or {@code dir} itself if it is a case). */
    public static Summary run(Path dir) throws IOException {
        return run(dir, BuiltinRegistry.standard());
    }

    public static Summary run(Path dir, BuiltinRegistry builtins) throws IOException {
        Summary s = new Summary();
        List<Path> cases = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve("inputs.txt"))) {
            cases.add(dir);
        } else {
            try (Stream<Path> st = Files.list(dir)) {
                st.filter(p -> Files.isRegularFile(p.resolve("inputs.txt"))).sorted().forEach(cases::add);
            }
        }
        if (cases.isEmpty()) throw new IOException("no case folders (with inputs.txt) under " + dir);
        for (Path c : cases) runCase(c, s, builtins);
        return s;
    }

    static void runCase(Path dir, Summary s, BuiltinRegistry builtins) throws IOException {
        String name = dir.getFileName().toString();
        JsonNode outputs = JSON.readTree(dir.resolve("outputs.json").toFile());
        JsonNode prints = JSON.readTree(dir.resolve("prints.json").toFile());
        String policyText = Files.readString(dir.resolve("policy.rego"));
        AgentPolicy policy = new AgentPolicy(moduleName(prints, name), policyText, builtins);
        int n = 0;
        for (String raw : Files.readAllLines(dir.resolve("inputs.txt"))) {
            if (raw.isBlank()) continue;
            String where = name + " line " + (n + 1);
            Matcher m = LINE.matcher(raw.trim());
            if (!m.matches()) {
                s.fail(where + ": unparseable request line");
                n++;
                continue;
            }
            Decision d;
            try {
                d = policy.check(m.group(1), JSON.readTree(m.group(2)));
            } catch (RuntimeException e) {
                s.fail(where + " " + m.group(1) + ": " + e.getMessage());
                n++;
                continue;
            }
            JsonNode wantAllowed = outputs.get(n);
            JsonNode wantPrints = prints.get(n);
            List<String> want = new ArrayList<>();
            if (wantPrints != null) wantPrints.forEach(p -> want.add(p.asText()));
            if (wantAllowed == null || wantAllowed.asBoolean() != d.policyAllowed()) {
                s.fail(where + " " + m.group(1) + ": decision " + d.policyAllowed() + ", expected " + wantAllowed);
            } else if (!want.equals(d.prints())) {
                s.fail(where + " " + m.group(1) + ": prints differ" + firstDiff(want, d.prints()));
            } else {
                s.pass();
            }
            n++;
        }
        if (n != outputs.size()) s.fail(name + ": " + n + " requests but " + outputs.size() + " expected outputs");
    }

    private static String firstDiff(List<String> want, List<String> got) {
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            String w = i < want.size() ? want.get(i) : "<none>";
            String g = i < got.size() ? got.get(i) : "<none>";
            if (!w.equals(g)) return " at #" + i + ":\n  want: " + w + "\n  got:  " + g;
        }
        return "";
    }

    /** The module name the reference prints were recorded with (their "file:line:" prefix). */
    private static String moduleName(JsonNode prints, String fallback) {
        for (JsonNode line : prints) {
            for (JsonNode p : line) {
                Matcher m = PRINT_FILE.matcher(p.asText());
                if (m.find()) return m.group(1);
            }
        }
        return fallback + "/policy.rego";
    }
}
