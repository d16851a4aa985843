package io.katacc.policy.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.katacc.policy.EvalResult;
import io.katacc.policy.Engine;
import io.katacc.policy.Policy;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.eval.Limits;
import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.lib.JsonPatch;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.BoolValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.Value;
import io.katacc.policy.value.ValueJson;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest agent's policy gate: evaluates {@code data.agent_policy.<Entry>} for each request, keeps the
 * policy state document {@code data.pstate}, and supports replacing the policy (SetPolicyRequest).
 * Calls are serialised: requests are checked in the order they arrive, as state carries over.
 */
public final class AgentPolicy {
    private static final String PACKAGE = "data.agent_policy.";

    private final BuiltinRegistry builtins;
    private Engine engine;
    private String text;
    private Value pstate = ObjectValue.EMPTY;
    private boolean allowFailing;

    public AgentPolicy(String name, String policyText) {
        this(name, policyText, BuiltinRegistry.standard());
    }

    public AgentPolicy(String name, String policyText, BuiltinRegistry builtins) {
        this.builtins = builtins;
        load(name, policyText);
    }

    /** The policy used when the pod has none: every agent request is allowed. */
    public static AgentPolicy defaultPolicy() {
        return new AgentPolicy("default-policy.rego", DefaultPolicy.TEXT);
    }

    public synchronized String text() {
        return text;
    }

    /** Replaces the policy (after the caller has checked SetPolicyRequest against the current one). */
    public synchronized void setPolicy(String name, String policyText) {
        load(name, policyText);
    }

    private void load(String name, String policyText) {
        Policy p = Policy.parse(name, policyText); // throws before any state changes
        // Kata's agent runs regorus with strict_builtin_errors=false: builtin errors make an expression undefined
        Engine e = new Engine(p, builtins, Limits.DEFAULT, false);
        EvalResult r = e.evaluate(PACKAGE + "AllowRequestsFailingPolicy", (Value) null, ObjectValue.EMPTY);
        this.engine = e;
        this.text = policyText;
        this.pstate = ObjectValue.EMPTY;
        this.allowFailing = r.value().map(v -> v.equals(Value.TRUE)).orElse(false);
    }

    public synchronized Decision check(String entry, JsonNode input) {
        return check(entry, ValueJson.fromJson(input));
    }

    /** Evaluates the policy for one request; a state update ({"allowed","ops"}) is applied only when allowed. */
    public synchronized Decision check(String entry, Value input) {
        if (!entry.matches("[A-Za-z][A-Za-z0-9_]*")) throw new IllegalArgumentException("invalid policy entry name: " + entry);
        EvalResult r = engine.evaluate(PACKAGE + entry, input, ObjectValue.EMPTY.with(Value.str("pstate"), pstate));
        List<String> prints = new ArrayList<>(r.prints());
        boolean allowed = false;
        Value v = r.value().orElse(null);
        if (v instanceof BoolValue b) {
            allowed = b.value();
        } else if (v instanceof ObjectValue o && o.get("allowed") instanceof BoolValue b) {
            allowed = b.value();
            Value ops = o.get("ops");
            if (allowed && ops != null) {
                try {
                    if (!(ops instanceof ArrayValue list)) {
                        throw new BuiltinError("ops must be an array of JSON patch operations, got " + ops.typeName());
                    }
                    pstate = JsonPatch.apply(pstate, list);
                } catch (BuiltinError e) {
                    prints.add("policy state update failed: " + e.getMessage());
                    allowed = false;
                }
            }
        }
        return new Decision(entry, allowed || allowFailing, allowed, prints);
    }

    public synchronized Value state() {
        return pstate;
    }

    public synchronized boolean allowsFailingRequests() {
        return allowFailing;
    }
}
