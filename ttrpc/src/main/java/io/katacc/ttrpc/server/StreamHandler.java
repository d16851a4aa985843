package io.katacc.ttrpc.server;

/**
 * Handles one streaming call (ttrpc >= 1.2): read requests with {@link ServerStream#receive()}, write
 * responses with {@link ServerStream#send}. Returning normally ends the stream with status OK.
 */
@FunctionalInterface
public interface StreamHandler<Q> {
    void handle(ServerStream<Q> stream, CallContext ctx) throws Exception;
}
