package io.katacc.agent.service;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Message;
import io.katacc.agent.api.CheckRequest;
import io.katacc.agent.api.HealthCheckResponse;
import io.katacc.agent.api.VersionCheckResponse;
import io.katacc.agent.error.AgentException;
import io.katacc.agent.policy.AgentRequests;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;

/** Registers grpc.AgentService (every method of the descriptor) and grpc.Health with a ttrpc server. */
public final class TtrpcBinding {

    public static final String HEALTH = "grpc.Health";

    private TtrpcBinding() {
    }

    public static ServiceRegistry register(ServiceRegistry registry, AgentService agent) {
        for (MethodDescriptor m : AgentRequests.methods()) {
            Message prototype = AgentRequests.prototype(m.getInputType().getName());
            String method = m.getName();
            registry.unary(AgentService.NAME, method, prototype.getParserForType(), (req, ctx) -> {
                try {
                    return agent.invoke(method, (Message) req);
                } catch (AgentException e) {
                    throw new TtrpcException(code(e.kind()), e.getMessage(), e);
                }
            });
        }
        // Health is how the runtime learns the agent is up; Kata does not gate it
        registry.unary(HEALTH, "Check", CheckRequest.parser(), (req, ctx) ->
                HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
        registry.unary(HEALTH, "Version", CheckRequest.parser(), (req, ctx) ->
                VersionCheckResponse.newBuilder().setGrpcVersion("ttrpc").setAgentVersion(AgentService.VERSION).build());
        return registry;
    }

    static Code code(AgentException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Code.NOT_FOUND;
            case ALREADY_EXISTS -> Code.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> Code.FAILED_PRECONDITION;
            case PERMISSION_DENIED -> Code.PERMISSION_DENIED;
            case UNIMPLEMENTED -> Code.UNIMPLEMENTED;
            case INTERNAL -> Code.INTERNAL;
        };
    }
}
