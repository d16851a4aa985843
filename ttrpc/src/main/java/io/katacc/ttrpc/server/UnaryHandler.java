package io.katacc.ttrpc.server;

import com.google.protobuf.Message;

/**
 * Handles one unary call. Runs on its own virtual thread, so it may block. Throw
 * {@link io.katacc.ttrpc.status.TtrpcException} to answer with a specific status; any other exception
 * becomes UNKNOWN with its message.
 */
@FunctionalInterface
public interface UnaryHandler<Q> {
    Message handle(Q request, CallContext ctx) throws Exception;
}
