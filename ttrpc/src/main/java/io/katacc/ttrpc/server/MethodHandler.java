package io.katacc.ttrpc.server;

import com.google.protobuf.Parser;

/** A registered method: how to parse its requests and what to run. */
public sealed interface MethodHandler {
    record Unary<Q>(Parser<Q> parser, UnaryHandler<Q> handler) implements MethodHandler {
    }

    record Streaming<Q>(Parser<Q> parser, StreamHandler<Q> handler) implements MethodHandler {
    }
}
