package io.katacc.policy.builtin;

/**
 * Per-evaluation facts a builtin may need. {@code nowNs} is fixed for one evaluation, so
 * {@code time.now_ns()} returns the same value throughout a query, as in OPA.
 */
public record BuiltinContext(long nowNs) {
    public static BuiltinContext now() {
        java.time.Instant i = java.time.Instant.now();
        return new BuiltinContext(i.getEpochSecond() * 1_000_000_000L + i.getNano());
    }
}
