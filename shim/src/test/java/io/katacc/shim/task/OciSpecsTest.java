package io.katacc.shim.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.agent.api.Spec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A config.json as ctr writes it, converted for the agent. */
class OciSpecsTest {
    private static final String CTR_SPEC = """
            {"ociVersion":"1.0.2-dev",
             "process":{"user":{"uid":0,"gid":0},"args":["sh"],"env":["PATH=/bin"],"cwd":"/",
               "capabilities":{"bounding":["CAP_CHOWN","CAP_KILL"],"effective":["CAP_CHOWN"],"permitted":["CAP_CHOWN"]},
               "rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],"noNewPrivileges":true,"oomScoreAdj":5},
             "root":{"path":"rootfs"},
             "mounts":[{"destination":"/proc","type":"proc","source":"proc","options":["nosuid"]}],
             "linux":{"resources":{"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":136,"access":"rwm"}],
                                   "memory":{"limit":134217728},"pids":{"limit":64}},
               "cgroupsPath":"/default/c1",
               "namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"network","path":"/proc/1/ns/net"}],
               "maskedPaths":["/proc/kcore"],"readonlyPaths":["/proc/sys"]}}""";

    @Test
    void linuxSectionReachesTheAgentWithoutHostObjects() throws Exception {
        Spec s = OciSpecs.spec(new ObjectMapper().readTree(CTR_SPEC));
        assertEquals(List.of("pid", "ipc", "uts", "mount"),
                s.getLinux().getNamespacesList().stream().map(n -> n.getType()).toList(), "no network namespace");
        assertEquals("", s.getLinux().getNamespaces(0).getPath());
        assertEquals(List.of("/proc/kcore"), s.getLinux().getMaskedPathsList());
        assertEquals(List.of("/proc/sys"), s.getLinux().getReadonlyPathsList());
        assertEquals("/default/c1", s.getLinux().getCgroupsPath());
        assertEquals(134217728, s.getLinux().getResources().getMemory().getLimit());
        assertEquals(64, s.getLinux().getResources().getPids().getLimit());
        var wildcard = s.getLinux().getResources().getDevices(0);
        assertEquals(-1, wildcard.getMajor());
        assertEquals(136, s.getLinux().getResources().getDevices(1).getMajor());
        assertEquals(-1, s.getLinux().getResources().getDevices(1).getMinor(), "absent minor is a wildcard");
        assertEquals(List.of("CAP_CHOWN", "CAP_KILL"), s.getProcess().getCapabilities().getBoundingList());
        assertEquals(1024, s.getProcess().getRlimits(0).getHard());
        assertEquals(5, s.getProcess().getOOMScoreAdj());
    }

    @Test
    void namespaceWithoutTypeIsRefused() throws Exception {
        var bad = new ObjectMapper().readTree("{\"process\":{\"args\":[\"sh\"]},\"linux\":{\"namespaces\":[{\"path\":\"/x\"}]}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OciSpecs.spec(bad));
        assertEquals(true, e.getMessage().contains("without a type"), e.getMessage());
    }
}
