package io.katacc.ttrpc.server;

import com.google.protobuf.Parser;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Maps {@code service/method} (full protobuf service names) to handlers. */
public final class ServiceRegistry {
    private final Map<String, Map<String, MethodHandler>> services = new ConcurrentHashMap<>();

    public <Q> ServiceRegistry unary(String service, String method, Parser<Q> parser, UnaryHandler<Q> handler) {
        return add(service, method, new MethodHandler.Unary<>(parser, handler));
    }

    public <Q> ServiceRegistry stream(String service, String method, Parser<Q> parser, StreamHandler<Q> handler) {
        return add(service, method, new MethodHandler.Streaming<>(parser, handler));
    }

    private ServiceRegistry add(String service, String method, MethodHandler handler) {
        if (service.isEmpty() || method.isEmpty()) {
            throw new IllegalArgumentException("service and method names must not be empty");
        }
        MethodHandler previous = services.computeIfAbsent(service, s -> new ConcurrentHashMap<>())
                .putIfAbsent(method, handler);
        if (previous != null) {
            throw new IllegalStateException(service + "/" + method + " is already registered");
        }
        return this;
    }

    public boolean hasService(String service) {
        return services.containsKey(service);
    }

    public Optional<MethodHandler> lookup(String service, String method) {
        Map<String, MethodHandler> methods = services.get(service);
        return methods == null ? Optional.empty() : Optional.ofNullable(methods.get(method));
    }
}
