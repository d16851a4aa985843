package io.katacc.shim.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.katacc.agent.api.Mount;
import io.katacc.agent.api.Process;
import io.katacc.agent.api.Root;
import io.katacc.agent.api.Spec;
import io.katacc.agent.api.User;

import java.util.Map;

/**
 * OCI runtime-spec JSON (config.json, exec process specs) to the agent's {@code grpc.Spec}/{@code Process}.
 * Covers what the agent needs to run a process: process, root, hostname, mounts, annotations.
 */
public final class OciSpecs {
    private OciSpecs() {
    }

    public static Spec spec(JsonNode oci) {
        Spec.Builder b = Spec.newBuilder().setVersion(oci.path("ociVersion").asText(""));
        if (oci.has("process")) {
            b.setProcess(process(oci.get("process")));
        }
        if (oci.has("root")) {
            b.setRoot(Root.newBuilder().setPath(oci.at("/root/path").asText("")).setReadonly(oci.at("/root/readonly").asBoolean(false)));
        }
        b.setHostname(oci.path("hostname").asText(""));
        for (JsonNode m : oci.path("mounts")) {
            Mount.Builder mb = Mount.newBuilder().setDestination(text(m, "destination"))
                    .setSource(m.path("source").asText("")).setType(m.path("type").asText(""));
            m.path("options").forEach(o -> mb.addOptions(o.asText()));
            b.addMounts(mb);
        }
        for (Map.Entry<String, JsonNode> a : oci.path("annotations").properties()) {
            b.putAnnotations(a.getKey(), a.getValue().asText());
        }
        return b.build();
    }

    public static Process process(JsonNode p) {
        if (!p.path("args").isArray() || p.path("args").isEmpty()) {
            throw new IllegalArgumentException("OCI process needs a non-empty args array");
        }
        Process.Builder b = Process.newBuilder().setTerminal(p.path("terminal").asBoolean(false))
                .setCwd(p.path("cwd").asText("/"))
                .setNoNewPrivileges(p.path("noNewPrivileges").asBoolean(false));
        p.path("args").forEach(a -> b.addArgs(a.asText()));
        p.path("env").forEach(e -> b.addEnv(e.asText()));
        JsonNode u = p.path("user");
        User.Builder ub = User.newBuilder().setUID(u.path("uid").asInt(0)).setGID(u.path("gid").asInt(0))
                .setUsername(u.path("username").asText(""));
        u.path("additionalGids").forEach(g -> ub.addAdditionalGids(g.asInt()));
        return b.setUser(ub).build();
    }

    private static String text(JsonNode n, String field) {
        if (!n.path(field).isTextual()) {
            throw new IllegalArgumentException("OCI mount without " + field + ": " + n);
        }
        return n.get(field).asText();
    }
}
