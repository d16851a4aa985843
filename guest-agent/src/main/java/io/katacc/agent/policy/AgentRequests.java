package io.katacc.agent.policy;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Message;
import io.katacc.agent.api.AgentProto;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The AgentService methods and their request types, taken from the descriptor. */
public final class AgentRequests {

    private static final Map<String, Message> PROTOTYPES = new TreeMap<>();

    static {
        for (MethodDescriptor m : methods()) {
            PROTOTYPES.putIfAbsent(m.getInputType().getName(), defaultInstance(m.getInputType()));
        }
    }

    private AgentRequests() {
    }

    public static List<MethodDescriptor> methods() {
        return AgentProto.getDescriptor().findServiceByName("AgentService").getMethods();
    }

    /** The policy entry point for a request type: its message name, e.g. {@code ReadStreamRequest}. */
    public static String entryPoint(Message request) {
        return request.getDescriptorForType().getName();
    }

    /** The empty request of the message named {@code name} (e.g. "ExecProcessRequest"). */
    public static Message prototype(String name) {
        Message m = PROTOTYPES.get(name);
        if (m == null) {
            throw new IllegalArgumentException("'" + name + "' is not a request type of grpc.AgentService");
        }
        return m;
    }

    private static Message defaultInstance(Descriptor type) {
        String pkg = type.getFile().getOptions().getJavaPackage();
        try {
            Class<?> c = Class.forName(pkg + "." + type.getName());
            return (Message) c.getMethod("getDefaultInstance").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no generated class for " + type.getFullName(), e);
        }
    }
}
