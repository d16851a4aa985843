package io.katacc.ttrpc.server;

import io.katacc.ttrpc.metadata.Metadata;

import java.time.Duration;
import java.util.Optional;

/** What a handler knows about its call besides the request message. */
public interface CallContext {
    String service();

    String method();

    Metadata metadata();

    /** Time left before the client's {@code timeout_nano} deadline; empty when the client set none. */
    Optional<Duration> remaining();

    /** True once the deadline passed, the client went away, or the server was forced down. */
    boolean isCancelled();
}
