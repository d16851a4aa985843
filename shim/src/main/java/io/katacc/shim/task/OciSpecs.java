package io.katacc.shim.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.katacc.agent.api.Box;
import io.katacc.agent.api.Linux;
import io.katacc.agent.api.LinuxCPU;
import io.katacc.agent.api.LinuxCapabilities;
import io.katacc.agent.api.LinuxDeviceCgroup;
import io.katacc.agent.api.LinuxMemory;
import io.katacc.agent.api.LinuxNamespace;
import io.katacc.agent.api.LinuxPids;
import io.katacc.agent.api.LinuxResources;
import io.katacc.agent.api.Mount;
import io.katacc.agent.api.POSIXRlimit;
import io.katacc.agent.api.Process;
import io.katacc.agent.api.Root;
import io.katacc.agent.api.Spec;
import io.katacc.agent.api.User;

import java.util.Map;

/**
 * OCI runtime-spec JSON (config.json, exec process specs) to the agent's {@code grpc.Spec}/{@code Process}:
 * process (user, capabilities, rlimits), root, hostname, mounts, annotations and the Linux section
 * (namespaces, resources, masked and read-only paths, sysctls, cgroups path).
 *
 * <p>What names host objects is not forwarded: namespace paths (host /proc paths mean nothing in the guest)
 * and the network namespace (the pod's containers share the VM's network, as in Kata), device nodes
 * (the guest has its own) and host hooks (a host must not get to run programs inside the guest).
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
        if (oci.has("linux")) {
            b.setLinux(linux(oci.get("linux")));
        }
        return b.build();
    }

    static Linux linux(JsonNode l) {
        Linux.Builder b = Linux.newBuilder();
        for (JsonNode ns : l.path("namespaces")) {
            String type = ns.path("type").asText("");
            if (type.isEmpty()) {
                throw new IllegalArgumentException("OCI linux.namespaces entry without a type: " + ns);
            }
            if (!type.equals("network")) {
                b.addNamespaces(LinuxNamespace.newBuilder().setType(type));
            }
        }
        l.path("maskedPaths").forEach(p -> b.addMaskedPaths(p.asText()));
        l.path("readonlyPaths").forEach(p -> b.addReadonlyPaths(p.asText()));
        b.setRootfsPropagation(l.path("rootfsPropagation").asText(""));
        b.setCgroupsPath(l.path("cgroupsPath").asText(""));
        for (Map.Entry<String, JsonNode> e : l.path("sysctl").properties()) {
            b.putSysctl(e.getKey(), e.getValue().asText());
        }
        if (l.has("resources")) {
            b.setResources(resources(l.get("resources")));
        }
        return b.build();
    }

    /** OCI {@code linux.resources} (also the JSON containerd sends in an Update) as the agent's message. */
    public static LinuxResources resources(JsonNode r) {
        LinuxResources.Builder b = LinuxResources.newBuilder();
        for (JsonNode d : r.path("devices")) {
            LinuxDeviceCgroup.Builder db = LinuxDeviceCgroup.newBuilder().setAllow(d.path("allow").asBoolean(false))
                    .setType(d.path("type").asText("")).setAccess(d.path("access").asText(""));
            // an absent major/minor is a wildcard; -1 says so (0 is a real number)
            db.setMajor(d.has("major") ? d.get("major").asLong() : -1);
            db.setMinor(d.has("minor") ? d.get("minor").asLong() : -1);
            b.addDevices(db);
        }
        JsonNode m = r.path("memory");
        if (m.isObject()) {
            b.setMemory(LinuxMemory.newBuilder().setLimit(m.path("limit").asLong(0))
                    .setReservation(m.path("reservation").asLong(0)).setSwap(m.path("swap").asLong(0))
                    .setSwappiness(m.path("swappiness").asLong(0)).setDisableOOMKiller(m.path("disableOOMKiller").asBoolean(false)));
        }
        JsonNode c = r.path("cpu");
        if (c.isObject()) {
            b.setCPU(LinuxCPU.newBuilder().setShares(c.path("shares").asLong(0)).setQuota(c.path("quota").asLong(0))
                    .setPeriod(c.path("period").asLong(0)).setCpus(c.path("cpus").asText(""))
                    .setMems(c.path("mems").asText("")));
        }
        JsonNode pids = r.path("pids");
        if (pids.isObject()) {
            b.setPids(LinuxPids.newBuilder().setLimit(pids.path("limit").asLong(0)));
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
        JsonNode caps = p.path("capabilities");
        if (caps.isObject()) {
            LinuxCapabilities.Builder cb = LinuxCapabilities.newBuilder();
            caps.path("bounding").forEach(x -> cb.addBounding(x.asText()));
            caps.path("effective").forEach(x -> cb.addEffective(x.asText()));
            caps.path("inheritable").forEach(x -> cb.addInheritable(x.asText()));
            caps.path("permitted").forEach(x -> cb.addPermitted(x.asText()));
            caps.path("ambient").forEach(x -> cb.addAmbient(x.asText()));
            b.setCapabilities(cb);
        }
        for (JsonNode r : p.path("rlimits")) {
            b.addRlimits(POSIXRlimit.newBuilder().setType(r.path("type").asText("")).setHard(r.path("hard").asLong(0))
                    .setSoft(r.path("soft").asLong(0)));
        }
        if (p.has("oomScoreAdj")) {
            b.setOOMScoreAdj(p.get("oomScoreAdj").asLong());
        }
        if (p.path("consoleSize").isObject()) {
            b.setConsoleSize(Box.newBuilder().setHeight(p.at("/consoleSize/height").asInt(0))
                    .setWidth(p.at("/consoleSize/width").asInt(0)));
        }
        return b.setUser(ub).build();
    }

    private static String text(JsonNode n, String field) {
        if (!n.path(field).isTextual()) {
            throw new IllegalArgumentException("OCI mount without " + field + ": " + n);
        }
        return n.get(field).asText();
    }
}
