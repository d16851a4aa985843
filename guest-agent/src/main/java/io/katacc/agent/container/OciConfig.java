package io.katacc.agent.container;

import io.katacc.agent.error.AgentException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.katacc.agent.api.Hook;
import io.katacc.agent.api.Linux;
import io.katacc.agent.api.LinuxBlockIO;
import io.katacc.agent.api.LinuxCPU;
import io.katacc.agent.api.LinuxDevice;
import io.katacc.agent.api.LinuxDeviceCgroup;
import io.katacc.agent.api.LinuxIDMapping;
import io.katacc.agent.api.LinuxMemory;
import io.katacc.agent.api.LinuxNamespace;
import io.katacc.agent.api.LinuxResources;
import io.katacc.agent.api.LinuxSeccomp;
import io.katacc.agent.api.LinuxSyscall;
import io.katacc.agent.api.LinuxThrottleDevice;
import io.katacc.agent.api.LinuxWeightDevice;
import io.katacc.agent.api.Mount;
import io.katacc.agent.api.POSIXRlimit;
import io.katacc.agent.api.Process;
import io.katacc.agent.api.Spec;
import java.util.List;

/**
 * The agent API's protobuf OCI spec as an OCI runtime-spec {@code config.json} for runc.
 * Zero values of optional OCI fields are left out, as Kata's agent does, so runc applies its defaults.
 */
public final class OciConfig {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private OciConfig() {
    }

    public static ObjectNode config(Spec spec, String rootfs) {
        if (!spec.hasProcess()) {
            throw AgentException.invalid("OCI spec has no Process");
        }
        if (spec.getProcess().getArgsCount() == 0) {
            throw AgentException.invalid("OCI spec Process.Args is empty");
        }
        ObjectNode c = F.objectNode();
        c.put("ociVersion", spec.getVersion().isEmpty() ? "1.0.2" : spec.getVersion());
        c.set("process", process(spec.getProcess()));
        ObjectNode root = c.putObject("root");
        root.put("path", rootfs);
        root.put("readonly", spec.hasRoot() && spec.getRoot().getReadonly());
        if (!spec.getHostname().isEmpty()) {
            c.put("hostname", spec.getHostname());
        }
        ArrayNode mounts = c.putArray("mounts");
        for (Mount m : spec.getMountsList()) {
            if (!m.getDestination().startsWith("/")) {
                throw AgentException.invalid("mount destination '" + m.getDestination() + "' is not absolute");
            }
            ObjectNode mn = mounts.addObject();
            mn.put("destination", m.getDestination());
            mn.put("type", m.getType());
            mn.put("source", m.getSource());
            strings(mn, "options", m.getOptionsList());
        }
        if (spec.hasHooks()) {
            ObjectNode hooks = c.putObject("hooks");
            hooks(hooks, "prestart", spec.getHooks().getPrestartList());
            hooks(hooks, "createRuntime", spec.getHooks().getCreateRuntimeList());
            hooks(hooks, "createContainer", spec.getHooks().getCreateContainerList());
            hooks(hooks, "startContainer", spec.getHooks().getStartContainerList());
            hooks(hooks, "poststart", spec.getHooks().getPoststartList());
            hooks(hooks, "poststop", spec.getHooks().getPoststopList());
        }
        if (spec.getAnnotationsCount() > 0) {
            ObjectNode a = c.putObject("annotations");
            spec.getAnnotationsMap().forEach(a::put);
        }
        c.set("linux", linux(spec.hasLinux() ? spec.getLinux() : Linux.getDefaultInstance()));
        return c;
    }

    public static ObjectNode process(Process p) {
        ObjectNode n = F.objectNode();
        n.put("terminal", p.getTerminal());
        if (p.hasConsoleSize()) {
            n.putObject("consoleSize").put("height", p.getConsoleSize().getHeight())
                    .put("width", p.getConsoleSize().getWidth());
        }
        ObjectNode user = n.putObject("user");
        user.put("uid", Integer.toUnsignedLong(p.getUser().getUID()));
        user.put("gid", Integer.toUnsignedLong(p.getUser().getGID()));
        if (p.getUser().getAdditionalGidsCount() > 0) {
            ArrayNode g = user.putArray("additionalGids");
            p.getUser().getAdditionalGidsList().forEach(x -> g.add(Integer.toUnsignedLong(x)));
        }
        strings(n, "args", p.getArgsList());
        strings(n, "env", p.getEnvList());
        n.put("cwd", p.getCwd().isEmpty() ? "/" : p.getCwd());
        if (p.hasCapabilities()) {
            ObjectNode caps = n.putObject("capabilities");
            strings(caps, "bounding", p.getCapabilities().getBoundingList());
            strings(caps, "effective", p.getCapabilities().getEffectiveList());
            strings(caps, "inheritable", p.getCapabilities().getInheritableList());
            strings(caps, "permitted", p.getCapabilities().getPermittedList());
            strings(caps, "ambient", p.getCapabilities().getAmbientList());
        }
        if (p.getRlimitsCount() > 0) {
            ArrayNode r = n.putArray("rlimits");
            for (POSIXRlimit l : p.getRlimitsList()) {
                r.addObject().put("type", l.getType()).put("hard", l.getHard()).put("soft", l.getSoft());
            }
        }
        n.put("noNewPrivileges", p.getNoNewPrivileges());
        if (!p.getApparmorProfile().isEmpty()) {
            n.put("apparmorProfile", p.getApparmorProfile());
        }
        if (p.getOOMScoreAdj() != 0) {
            n.put("oomScoreAdj", p.getOOMScoreAdj());
        }
        if (!p.getSelinuxLabel().isEmpty()) {
            n.put("selinuxLabel", p.getSelinuxLabel());
        }
        return n;
    }

    private static ObjectNode linux(Linux l) {
        ObjectNode n = F.objectNode();
        idMappings(n, "uidMappings", l.getUIDMappingsList());
        idMappings(n, "gidMappings", l.getGIDMappingsList());
        if (l.getSysctlCount() > 0) {
            ObjectNode s = n.putObject("sysctl");
            l.getSysctlMap().forEach(s::put);
        }
        if (l.hasResources()) {
            n.set("resources", resources(l.getResources()));
        }
        if (!l.getCgroupsPath().isEmpty()) {
            n.put("cgroupsPath", l.getCgroupsPath());
        }
        ArrayNode ns = n.putArray("namespaces");
        for (LinuxNamespace x : l.getNamespacesList()) {
            ObjectNode o = ns.addObject().put("type", x.getType());
            if (!x.getPath().isEmpty()) {
                o.put("path", x.getPath());
            }
        }
        if (l.getDevicesCount() > 0) {
            ArrayNode d = n.putArray("devices");
            for (LinuxDevice x : l.getDevicesList()) {
                d.addObject().put("path", x.getPath()).put("type", x.getType()).put("major", x.getMajor())
                        .put("minor", x.getMinor()).put("fileMode", x.getFileMode())
                        .put("uid", Integer.toUnsignedLong(x.getUID())).put("gid", Integer.toUnsignedLong(x.getGID()));
            }
        }
        if (l.hasSeccomp()) {
            n.set("seccomp", seccomp(l.getSeccomp()));
        }
        if (!l.getRootfsPropagation().isEmpty()) {
            n.put("rootfsPropagation", l.getRootfsPropagation());
        }
        strings(n, "maskedPaths", l.getMaskedPathsList());
        strings(n, "readonlyPaths", l.getReadonlyPathsList());
        if (!l.getMountLabel().isEmpty()) {
            n.put("mountLabel", l.getMountLabel());
        }
        return n;
    }

    /** OCI {@code linux.resources}; also the document {@code runc update --resources} reads. */
    public static ObjectNode resources(LinuxResources r) {
        ObjectNode n = F.objectNode();
        if (r.getDevicesCount() > 0) {
            ArrayNode d = n.putArray("devices");
            for (LinuxDeviceCgroup x : r.getDevicesList()) {
                ObjectNode o = d.addObject().put("allow", x.getAllow());
                if (!x.getType().isEmpty()) {
                    o.put("type", x.getType());
                }
                // -1 (and 0/0 from peers that cannot say "absent") is the wildcard
                boolean unset = x.getMajor() == 0 && x.getMinor() == 0;
                if (!unset && x.getMajor() >= 0) {
                    o.put("major", x.getMajor());
                }
                if (!unset && x.getMinor() >= 0) {
                    o.put("minor", x.getMinor());
                }
                if (!x.getAccess().isEmpty()) {
                    o.put("access", x.getAccess());
                }
            }
        }
        if (r.hasMemory()) {
            LinuxMemory m = r.getMemory();
            ObjectNode o = n.putObject("memory");
            if (m.getLimit() != 0) {
                o.put("limit", m.getLimit());
            }
            if (m.getReservation() != 0) {
                o.put("reservation", m.getReservation());
            }
            if (m.getSwap() != 0) {
                o.put("swap", m.getSwap());
            }
            if (m.getSwappiness() != 0) {
                o.put("swappiness", m.getSwappiness());
            }
            if (m.getDisableOOMKiller()) {
                o.put("disableOOMKiller", true);
            }
        }
        if (r.hasCPU()) {
            LinuxCPU c = r.getCPU();
            ObjectNode o = n.putObject("cpu");
            if (c.getShares() != 0) {
                o.put("shares", c.getShares());
            }
            if (c.getQuota() != 0) {
                o.put("quota", c.getQuota());
            }
            if (c.getPeriod() != 0) {
                o.put("period", c.getPeriod());
            }
            if (c.getRealtimeRuntime() != 0) {
                o.put("realtimeRuntime", c.getRealtimeRuntime());
            }
            if (c.getRealtimePeriod() != 0) {
                o.put("realtimePeriod", c.getRealtimePeriod());
            }
            if (!c.getCpus().isEmpty()) {
                o.put("cpus", c.getCpus());
            }
            if (!c.getMems().isEmpty()) {
                o.put("mems", c.getMems());
            }
        }
        if (r.hasPids()) {
            n.putObject("pids").put("limit", r.getPids().getLimit());
        }
        if (r.hasBlockIO()) {
            LinuxBlockIO b = r.getBlockIO();
            ObjectNode o = n.putObject("blockIO");
            if (b.getWeight() != 0) {
                o.put("weight", b.getWeight());
            }
            if (b.getLeafWeight() != 0) {
                o.put("leafWeight", b.getLeafWeight());
            }
            if (b.getWeightDeviceCount() > 0) {
                ArrayNode a = o.putArray("weightDevice");
                for (LinuxWeightDevice w : b.getWeightDeviceList()) {
                    a.addObject().put("major", w.getMajor()).put("minor", w.getMinor())
                            .put("weight", w.getWeight()).put("leafWeight", w.getLeafWeight());
                }
            }
            throttle(o, "throttleReadBpsDevice", b.getThrottleReadBpsDeviceList());
            throttle(o, "throttleWriteBpsDevice", b.getThrottleWriteBpsDeviceList());
            throttle(o, "throttleReadIOPSDevice", b.getThrottleReadIOPSDeviceList());
            throttle(o, "throttleWriteIOPSDevice", b.getThrottleWriteIOPSDeviceList());
        }
        if (r.getHugepageLimitsCount() > 0) {
            ArrayNode a = n.putArray("hugepageLimits");
            r.getHugepageLimitsList().forEach(h -> a.addObject().put("pageSize", h.getPagesize()).put("limit", h.getLimit()));
        }
        return n;
    }

    private static ObjectNode seccomp(LinuxSeccomp s) {
        ObjectNode n = F.objectNode();
        n.put("defaultAction", s.getDefaultAction());
        strings(n, "architectures", s.getArchitecturesList());
        strings(n, "flags", s.getFlagsList());
        ArrayNode calls = n.putArray("syscalls");
        for (LinuxSyscall sc : s.getSyscallsList()) {
            ObjectNode o = calls.addObject();
            strings(o, "names", sc.getNamesList());
            o.put("action", sc.getAction());
            if (sc.hasErrnoret()) {
                o.put("errnoRet", Integer.toUnsignedLong(sc.getErrnoret()));
            }
            ArrayNode args = o.putArray("args");
            sc.getArgsList().forEach(a -> args.addObject().put("index", a.getIndex()).put("value", a.getValue())
                    .put("valueTwo", a.getValueTwo()).put("op", a.getOp()));
        }
        return n;
    }

    private static void throttle(ObjectNode o, String name, List<LinuxThrottleDevice> list) {
        if (!list.isEmpty()) {
            ArrayNode a = o.putArray(name);
            list.forEach(t -> a.addObject().put("major", t.getMajor()).put("minor", t.getMinor()).put("rate", t.getRate()));
        }
    }

    private static void idMappings(ObjectNode n, String name, List<LinuxIDMapping> list) {
        if (!list.isEmpty()) {
            ArrayNode a = n.putArray(name);
            list.forEach(m -> a.addObject().put("containerID", Integer.toUnsignedLong(m.getContainerID()))
                    .put("hostID", Integer.toUnsignedLong(m.getHostID())).put("size", Integer.toUnsignedLong(m.getSize())));
        }
    }

    private static void hooks(ObjectNode hooks, String name, List<Hook> list) {
        if (list.isEmpty()) {
            return;
        }
        ArrayNode a = hooks.putArray(name);
        for (Hook h : list) {
            ObjectNode o = a.addObject().put("path", h.getPath());
            strings(o, "args", h.getArgsList());
            strings(o, "env", h.getEnvList());
            if (h.getTimeout() != 0) {
                o.put("timeout", h.getTimeout());
            }
        }
    }

    private static void strings(ObjectNode n, String name, List<String> values) {
        ArrayNode a = n.putArray(name);
        values.forEach(a::add);
    }
}
