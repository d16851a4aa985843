package io.katacc.policy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.policy.EvalResult;
import io.katacc.policy.Engine;
import io.katacc.policy.Policy;
import io.katacc.policy.conformance.KataReplay;
import io.katacc.policy.conformance.OpaCases;
import io.katacc.policy.conformance.Summary;
import io.katacc.policy.eval.EvalError;
import io.katacc.policy.parse.SyntaxError;
import io.katacc.policy.value.Value;
import io.katacc.policy.value.ValueJson;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code kcc-policy}: evaluate a query, replay Kata request logs, or run OPA-style YAML cases. */
public final class Main {
    private static final String USAGE = """
            usage: kcc-policy eval --policy P.rego [--policy Q.rego ...] [--data D.json] [--input I.json] QUERY
                   kcc-policy kata-replay DIR
                   kcc-policy opa-cases DIR
                   kcc-policy bench KATA_POLICY_DIR [ROUNDS]""";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        try {
            return switch (args[0]) {
                case "eval" -> eval(args, out, err);
                case "kata-replay" -> summary(args, out, err, true);
                case "opa-cases" -> summary(args, out, err, false);
                case "bench" -> {
                    if (args.length < 2) throw new IllegalArgumentException("bench needs the kata-policy directory");
                    io.katacc.policy.bench.PolicyBench.run(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 20, out);
                    yield 0;
                }
                case "-h", "--help", "help" -> {
                    out.println(USAGE);
                    yield 0;
                }
                default -> {
                    err.println("unknown command '" + args[0] + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (SyntaxError e) {
            err.println("syntax error: " + e.getMessage());
            return 1;
        } catch (EvalError e) {
            err.println("evaluation error: " + e.getMessage());
            return 1;
        } catch (NoSuchFileException e) {
            err.println("no such file: " + e.getFile());
            return 1;
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int summary(String[] args, PrintStream out, PrintStream err, boolean kata) throws IOException {
        if (args.length != 2) {
            err.println(USAGE);
            return 2;
        }
        Path dir = Path.of(args[1]);
        if (!Files.exists(dir)) throw new NoSuchFileException(args[1]);
        Summary s = kata ? KataReplay.run(dir) : OpaCases.run(dir);
        for (String f : s.failures) out.println("FAIL " + f);
        for (String k : s.skips) out.println("SKIP " + k);
        out.println(s.line());
        return s.failed == 0 ? 0 : 1;
    }

    private static int eval(String[] args, PrintStream out, PrintStream err) throws IOException {
        List<Policy.Source> policies = new ArrayList<>();
        JsonNode data = null, input = null;
        String query = null;
        ObjectMapper json = new ObjectMapper();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--policy", "--data", "--input" -> {
                    if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a file");
                    Path p = Path.of(args[++i]);
                    if (a.equals("--policy")) policies.add(new Policy.Source(p.toString(), Files.readString(p)));
                    else {
                        JsonNode n;
                        try {
                            n = json.readTree(p.toFile());
                        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                            throw new IllegalArgumentException(p + ": invalid JSON: " + e.getOriginalMessage());
                        }
                        if (a.equals("--data")) data = n;
                        else input = n;
                    }
                }
                default -> {
                    if (query != null) throw new IllegalArgumentException("more than one query given");
                    query = a;
                }
            }
        }
        if (policies.isEmpty() || query == null) {
            err.println(USAGE);
            return 2;
        }
        Engine engine = new Engine(Policy.parse(policies, io.katacc.policy.eval.Limits.DEFAULT));
        EvalResult r = engine.evaluate(query, input, data);
        for (String p : r.prints()) err.println(p);
        List<JsonNode> vals = new ArrayList<>();
        for (Value v : r.values()) vals.add(ValueJson.toJson(v));
        if (vals.isEmpty()) {
            out.println("undefined");
            return 0;
        }
        for (JsonNode v : vals) out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(v));
        return 0;
    }
}
