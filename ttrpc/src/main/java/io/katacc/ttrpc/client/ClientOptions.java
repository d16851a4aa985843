package io.katacc.ttrpc.client;

import io.katacc.ttrpc.wire.Frame;

import java.time.Duration;

/**
 * Connection settings. {@code maxSendPayload} defaults to the protocol's 4 MiB; raising it only makes sense to
 * test how a peer rejects oversized frames.
 */
public record ClientOptions(Duration connectTimeout, int maxSendPayload) {
    public static final ClientOptions DEFAULT = new ClientOptions(Duration.ofSeconds(10), Frame.MAX_PAYLOAD);

    public ClientOptions withConnectTimeout(Duration timeout) {
        return new ClientOptions(timeout, maxSendPayload);
    }

    public ClientOptions withMaxSendPayload(int max) {
        return new ClientOptions(connectTimeout, max);
    }
}
