package io.katacc.policy.agent;

import java.util.List;

/**
 * Outcome of checking one agent request. {@code allowed} is the final verdict (true also when a
 * denial was overridden by AllowRequestsFailingPolicy, then {@code policyAllowed} is false).
 */
public record Decision(String entry, boolean allowed, boolean policyAllowed, List<String> prints) {
    public Decision {
        prints = List.copyOf(prints);
    }

    /** The message the agent returns with PERMISSION_DENIED. */
    public String denyMessage() {
        return entry + " is blocked by policy: " + String.join(" ", prints);
    }
}
