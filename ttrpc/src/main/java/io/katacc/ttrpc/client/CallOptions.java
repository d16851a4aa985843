package io.katacc.ttrpc.client;

import io.katacc.ttrpc.metadata.Metadata;

import java.time.Duration;
import java.util.Optional;

/** Per-call settings: the deadline (sent as {@code timeout_nano}) and request metadata. */
public record CallOptions(Optional<Duration> timeout, Metadata metadata) {
    public static final CallOptions DEFAULT = new CallOptions(Optional.empty(), Metadata.EMPTY);

    public CallOptions {
        timeout.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("call timeout must be positive, got " + t);
            }
        });
    }

    public static CallOptions timeout(Duration timeout) {
        return new CallOptions(Optional.of(timeout), Metadata.EMPTY);
    }

    public CallOptions withTimeout(Duration timeout) {
        return new CallOptions(Optional.of(timeout), metadata);
    }

    public CallOptions withMetadata(Metadata metadata) {
        return new CallOptions(timeout, metadata);
    }

    public CallOptions withMetadata(String key, String value) {
        return new CallOptions(timeout, metadata.with(key, value));
    }
}
