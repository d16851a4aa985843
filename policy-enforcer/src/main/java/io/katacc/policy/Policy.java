package io.katacc.policy;

import io.katacc.policy.ast.Module;
import io.katacc.policy.eval.Limits;
import io.katacc.policy.eval.PolicyIndex;
import io.katacc.policy.parse.Parser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A parsed and indexed set of Rego modules; immutable, parse once and evaluate many times. */
public final class Policy {
    private final List<Module> modules;
    private final PolicyIndex index;

    private Policy(List<Module> modules) {
        this.modules = List.copyOf(modules);
        this.index = new PolicyIndex(modules);
    }

    /** One module named {@code policy.rego}. */
    public static Policy parse(String text) {
        return parse("policy.rego", text);
    }

    /** One module; {@code name} appears in syntax errors and print output. */
    public static Policy parse(String name, String text) {
        return parse(List.of(new Source(name, text)), Limits.DEFAULT);
    }

    public static Policy parse(List<Source> sources, Limits limits) {
        List<Module> ms = new ArrayList<>();
        for (Source s : sources) {
            int size = s.text().getBytes(StandardCharsets.UTF_8).length;
            if (size > limits.maxPolicyBytes()) {
                throw new IllegalArgumentException(s.name() + ": policy is " + size + " bytes, larger than the limit of "
                        + limits.maxPolicyBytes());
            }
            ms.add(Parser.parseModule(s.name(), s.text()));
        }
        return new Policy(ms);
    }

    public List<Module> modules() {
        return modules;
    }

    public PolicyIndex index() {
        return index;
    }

    /** A named policy text. */
    public record Source(String name, String text) {}
}
