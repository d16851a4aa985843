package io.katacc.agent.policy;

/**
 * What the agent needs from a policy engine: evaluate {@code data.agent_policy.<entry>} for an input
 * document, and replace the policy. The Rego implementation is policy-enforcer's AgentPolicy.
 */
public interface PolicyEngine {

    /** Evaluates the entry point; an engine error is an exception, not a denial. */
    Decision decide(String entry, String inputJson) throws Exception;

    /** Installs a new policy; on any error the previous policy stays in force. */
    void replace(String policyText) throws Exception;
}
