package io.katacc.agent.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.policy.agent.AgentPolicy;

/** The Rego policy of policy-enforcer behind the agent's gate. */
public final class RegoPolicyEngine implements PolicyEngine {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AgentPolicy policy;

    public RegoPolicyEngine(AgentPolicy policy) {
        this.policy = policy;
    }

    public static RegoPolicyEngine of(String name, String regoText) {
        return new RegoPolicyEngine(new AgentPolicy(name, regoText));
    }

    @Override
    public Decision decide(String entry, String inputJson) throws Exception {
        io.katacc.policy.agent.Decision d = policy.check(entry, JSON.readTree(inputJson));
        return new Decision(d.allowed(), String.join(" ", d.prints()));
    }

    @Override
    public void replace(String policyText) {
        policy.setPolicy("SetPolicyRequest", policyText);
    }
}
