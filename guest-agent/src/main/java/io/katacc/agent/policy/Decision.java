package io.katacc.agent.policy;

/** A policy verdict for one request, with the policy's print() output collected during evaluation. */
public record Decision(boolean allowed, String prints) {
}
