package io.katacc.agent.policy;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Set;

/** JSON names of proto fields in the policy input, per {@link PolicyInputShape}. */
final class PolicyFieldNames {

    private static final Set<String> STDIO_PORTS = Set.of(
            "grpc.CreateContainerRequest.stdin_port", "grpc.CreateContainerRequest.stdout_port",
            "grpc.CreateContainerRequest.stderr_port", "grpc.ExecProcessRequest.stdin_port",
            "grpc.ExecProcessRequest.stdout_port", "grpc.ExecProcessRequest.stderr_port");
    private static final Set<String> ROUTE_FLAGS_MTU = Set.of("types.Route.flags", "types.Route.mtu");

    private PolicyFieldNames() {
    }

    static boolean present(PolicyInputShape shape, FieldDescriptor field) {
        String full = field.getFullName();
        if (!shape.stdioPorts() && STDIO_PORTS.contains(full)) {
            return false;
        }
        if (!shape.storageShared() && full.equals("grpc.Storage.shared")) {
            return false;
        }
        return shape.routeFlagsMtu() || !ROUTE_FLAGS_MTU.contains(full);
    }

    static String jsonName(PolicyInputShape shape, FieldDescriptor field) {
        String name = field.getName();
        if (shape.interfacePciPath() && field.getFullName().equals("types.Interface.devicePath")) {
            return "pciPath";
        }
        // rust-protobuf escapes the Rust keyword; serde keeps the escaped name
        return name.equals("type") ? "type_" : name;
    }
}
