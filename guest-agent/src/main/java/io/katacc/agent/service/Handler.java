package io.katacc.agent.service;

import com.google.protobuf.Message;

/** Carries out one AgentService method after the policy allowed the request. */
@FunctionalInterface
interface Handler<Q extends Message> {
    Message handle(Q request) throws Exception;
}
