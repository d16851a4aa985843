package io.katacc.policy.eval;

/**
 * Resource limits so a hostile policy or input cannot hang or exhaust the agent.
 *
 * @param maxPolicyBytes largest accepted policy text
 * @param maxSteps       body literals evaluated per query
 * @param maxCallDepth   nested rule/function evaluations
 */
public record Limits(int maxPolicyBytes, long maxSteps, int maxCallDepth) {
    public static final Limits DEFAULT = new Limits(16 << 20, 50_000_000L, 400);

    public Limits {
        if (maxPolicyBytes <= 0 || maxSteps <= 0 || maxCallDepth <= 0) throw new IllegalArgumentException("limits must be positive");
    }
}
