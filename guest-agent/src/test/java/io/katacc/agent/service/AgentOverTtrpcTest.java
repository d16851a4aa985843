package io.katacc.agent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.katacc.agent.api.CheckRequest;
import io.katacc.agent.api.CreateContainerRequest;
import io.katacc.agent.api.CreateSandboxRequest;
import io.katacc.agent.api.DestroySandboxRequest;
import io.katacc.agent.api.ExecProcessRequest;
import io.katacc.agent.api.HealthCheckResponse;
import io.katacc.agent.api.Mount;
import io.katacc.agent.api.ReadStreamRequest;
import io.katacc.agent.api.ReadStreamResponse;
import io.katacc.agent.api.RemoveContainerRequest;
import io.katacc.agent.api.SetPolicyRequest;
import io.katacc.agent.api.SignalProcessRequest;
import io.katacc.agent.api.StartContainerRequest;
import io.katacc.agent.api.StatsContainerRequest;
import io.katacc.agent.api.StatsContainerResponse;
import io.katacc.agent.api.Storage;
import io.katacc.agent.api.WaitProcessRequest;
import io.katacc.agent.api.WaitProcessResponse;
import io.katacc.agent.api.WriteStreamRequest;
import io.katacc.agent.api.WriteStreamResponse;
import io.katacc.agent.api.CloseStdinRequest;
import io.katacc.agent.container.BusyboxBundle;
import io.katacc.agent.policy.HostData;
import io.katacc.agent.policy.PolicyInputShape;
import io.katacc.agent.server.Agent;
import io.katacc.agent.server.AgentConfig;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.transport.Address;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent on a unix socket, driven by a ttrpc client like the shim: real runc, busybox rootfs. */
class AgentOverTtrpcTest {

    private static final String SVC = "grpc.AgentService";
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    private Agent agent;
    private TtrpcClient client;
    private ScriptedEngine engine;
    private Path rootfs;
    private byte[] hostData;

    @BeforeEach
    void setUp() throws Exception {
        BusyboxBundle.assumeTools();
        rootfs = BusyboxBundle.rootfs(Files.createDirectories(tmp.resolve("rootfs")));
        engine = new ScriptedEngine("allow *\ndeny ExecProcessRequest exec of this command is not allowed");
        Path sock = tmp.resolve("agent.sock");
        AgentConfig cfg = new AgentConfig("unix://" + sock, tmp.resolve("run"), tmp.resolve("state"), tmp.resolve("etc"),
                BusyboxBundle.runcBinary(), PolicyInputShape.AKS_2024, "");
        agent = Agent.start(cfg, engine, () -> Optional.ofNullable(hostData));
        client = TtrpcClient.connect(Address.parse("unix://" + sock));
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    private <R> R call(String method, Message req, Parser<R> parser) {
        return client.call(SVC, method, req, parser, T);
    }

    private void call(String method, Message req) {
        call(method, req, Empty.parser());
    }

    private String readAll(String cid, String eid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            ReadStreamResponse r = call("ReadStdout", ReadStreamRequest.newBuilder().setContainerId(cid).setExecId(eid)
                    .setLen(4096).build(), ReadStreamResponse.parser());
            if (r.getData().isEmpty()) {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.writeBytes(r.getData().toByteArray());
        }
    }

    private CreateContainerRequest container(String id, String... args) {
        return CreateContainerRequest.newBuilder().setContainerId(id).setExecId(id)
                .setOCI(BusyboxBundle.spec(rootfs, "/kcc-test/" + id, args)).build();
    }

    /** With the sandbox's shm bind-mounted, as Kata's runtime asks for every container. */
    private CreateContainerRequest podContainer(String id, String... args) {
        CreateContainerRequest.Builder b = container(id, args).toBuilder();
        b.getOCIBuilder().addMounts(Mount.newBuilder().setDestination("/dev/shm").setType("bind")
                .setSource("/run/kata-containers/sandbox/shm").addOptions("rbind"));
        return b.build();
    }

    @Test
    void podLifecycle() throws Exception {
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, client.call("grpc.Health", "Check",
                CheckRequest.getDefaultInstance(), HealthCheckResponse.parser(), T).getStatus());
        call("CreateSandbox", CreateSandboxRequest.newBuilder().setSandboxId("sb1").setHostname("pod1")
                .addDns("nameserver 10.0.0.10")
                .addStorages(Storage.newBuilder().setDriver("ephemeral").setSource("shm").setFstype("tmpfs")
                        .addOptions("size=1048576").setMountPoint("/run/kata-containers/sandbox/shm"))
                .build());
        assertEquals("nameserver 10.0.0.10\n", Files.readString(tmp.resolve("etc/resolv.conf")));
        String id = "c" + UUID.randomUUID().toString().substring(0, 8);
        call("CreateContainer", podContainer(id, "sh", "-c",
                "trap 'exit 3' TERM; read l; echo in:$l; ls -d /dev/shm; sleep 1000 & wait"));
        call("StartContainer", StartContainerRequest.newBuilder().setContainerId(id).build());
        WriteStreamResponse w = call("WriteStdin", WriteStreamRequest.newBuilder().setContainerId(id).setExecId(id)
                .setData(ByteString.copyFromUtf8("abc\n")).build(), WriteStreamResponse.parser());
        assertEquals(4, w.getLen());
        call("CloseStdin", CloseStdinRequest.newBuilder().setContainerId(id).setExecId(id).build());
        ReadStreamResponse first = call("ReadStdout", ReadStreamRequest.newBuilder().setContainerId(id).setExecId(id)
                .setLen(64).build(), ReadStreamResponse.parser());
        assertTrue(first.getData().toStringUtf8().startsWith("in:abc\n"), first.getData().toStringUtf8());

        // the policy denies exec: PERMISSION_DENIED with the policy's message, and nothing runs
        var denied = assertThrows(TtrpcException.class, () -> call("ExecProcess", ExecProcessRequest.newBuilder()
                .setContainerId(id).setExecId("x1").setProcess(BusyboxBundle.process("touch", "/tmp/pwned")).build()));
        assertEquals(Code.PERMISSION_DENIED, denied.code());
        assertEquals("ExecProcessRequest is blocked by policy: exec of this command is not allowed", denied.description());
        var notThere = assertThrows(TtrpcException.class, () -> call("WaitProcess",
                WaitProcessRequest.newBuilder().setContainerId(id).setExecId("x1").build(), WaitProcessResponse.parser()));
        assertEquals(Code.NOT_FOUND, notThere.code());

        // SetPolicy whose digest is not HOST_DATA is refused and the old policy stays
        String newPolicy = "allow *\n";
        hostData = MessageDigest.getInstance("SHA-256").digest("some other policy".getBytes(StandardCharsets.UTF_8));
        var refused = assertThrows(TtrpcException.class, () -> call("SetPolicy",
                SetPolicyRequest.newBuilder().setPolicy(newPolicy).build()));
        assertEquals(Code.PERMISSION_DENIED, refused.code());
        assertTrue(refused.description().contains("does not match HOST_DATA"), refused.description());
        assertThrows(TtrpcException.class, () -> call("ExecProcess", ExecProcessRequest.newBuilder()
                .setContainerId(id).setExecId("x2").setProcess(BusyboxBundle.process("true")).build()));
        // with the matching digest it is accepted
        hostData = MessageDigest.getInstance("SHA-256").digest(newPolicy.getBytes(StandardCharsets.UTF_8));
        call("SetPolicy", SetPolicyRequest.newBuilder().setPolicy(newPolicy).build());

        call("ExecProcess", ExecProcessRequest.newBuilder().setContainerId(id).setExecId("e1")
                .setProcess(BusyboxBundle.process("sh", "-c", "echo exec-out; sleep 1000")).build());
        assertEquals("exec-out\n", new String(call("ReadStdout", ReadStreamRequest.newBuilder().setContainerId(id)
                .setExecId("e1").setLen(64).build(), ReadStreamResponse.parser()).getData().toByteArray(), StandardCharsets.UTF_8));
        call("SignalProcess", SignalProcessRequest.newBuilder().setContainerId(id).setExecId("e1").setSignal(9).build());
        assertEquals(137, call("WaitProcess", WaitProcessRequest.newBuilder().setContainerId(id).setExecId("e1").build(),
                WaitProcessResponse.parser()).getStatus());

        StatsContainerResponse stats = call("StatsContainer", StatsContainerRequest.newBuilder().setContainerId(id).build(),
                StatsContainerResponse.parser());
        assertTrue(stats.getCgroupStats().getMemoryStats().getUsage().getUsage() > 0, stats.toString());

        call("SignalProcess", SignalProcessRequest.newBuilder().setContainerId(id).setSignal(15).build());
        assertEquals(3, call("WaitProcess", WaitProcessRequest.newBuilder().setContainerId(id).setExecId(id).build(),
                WaitProcessResponse.parser()).getStatus());
        call("RemoveContainer", RemoveContainerRequest.newBuilder().setContainerId(id).setTimeout(10).build());
        call("DestroySandbox", DestroySandboxRequest.getDefaultInstance());
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(tmp.resolve("run").toString()),
                "sandbox storages unmounted");
        assertTrue(engine.entries().contains("SetPolicyRequest"));
    }

    @Test
    @org.junit.jupiter.api.Timeout(120) // without draining, the shell would block and this would loop on denials
    void outputThePolicyHidesIsDrainedNotShownAndTheContainerDoesNotBlock() throws Exception {
        engine.replace("allow *\ndeny ReadStreamRequest logs are not for the host");
        call("CreateSandbox", CreateSandboxRequest.newBuilder().setSandboxId("sb2").setHostname("pod2")
                .addStorages(Storage.newBuilder().setDriver("ephemeral").setSource("shm").setFstype("tmpfs")
                        .addOptions("size=1048576").setMountPoint("/run/kata-containers/sandbox/shm"))
                .build());
        String id = "c" + UUID.randomUUID().toString().substring(0, 8);
        // ~200 KiB: three times a pipe's buffer, so an undrained stdout would block the shell
        call("CreateContainer", podContainer(id, "sh", "-c",
                "i=0; while [ $i -lt 5000 ]; do echo secret-line-0123456789-0123456789; i=$((i+1)); done; exit 4"));
        call("StartContainer", StartContainerRequest.newBuilder().setContainerId(id).build());
        int denials = 0;
        while (true) {
            try {
                ReadStreamResponse r = call("ReadStdout", ReadStreamRequest.newBuilder().setContainerId(id).setExecId(id)
                        .setLen(32768).build(), ReadStreamResponse.parser());
                assertEquals(0, r.getData().size(), "nothing of the hidden stream reaches the host");
                break; // end of the stream
            } catch (TtrpcException e) {
                assertEquals(Code.PERMISSION_DENIED, e.code());
                assertEquals("ReadStreamRequest is blocked by policy: logs are not for the host", e.description());
                denials++;
            }
        }
        assertTrue(denials >= 2, "the output was drained in chunks: " + denials);
        assertEquals(4, call("WaitProcess", WaitProcessRequest.newBuilder().setContainerId(id).setExecId(id).build(),
                WaitProcessResponse.parser()).getStatus(), "the container ran to its end");
    }

    @Test
    void badInputGetsClearErrorsAndTheAgentKeepsServing() {
        var unknown = assertThrows(TtrpcException.class, () -> call("StartContainer",
                StartContainerRequest.newBuilder().setContainerId("nope").build()));
        assertEquals(Code.NOT_FOUND, unknown.code());
        assertEquals("container nope not found", unknown.description());

        call("CreateContainer", container("dup1", "true"));
        var dup = assertThrows(TtrpcException.class, () -> call("CreateContainer", container("dup1", "true")));
        assertEquals(Code.ALREADY_EXISTS, dup.code());

        var noProcess = container("bad1", "true").toBuilder();
        noProcess.getOCIBuilder().clearProcess();
        var malformed = assertThrows(TtrpcException.class, () -> call("CreateContainer", noProcess.build()));
        assertEquals(Code.INVALID_ARGUMENT, malformed.code());
        assertEquals("OCI spec has no Process", malformed.description());

        var outside = assertThrows(TtrpcException.class, () -> call("CreateSandbox", CreateSandboxRequest.newBuilder()
                .setSandboxId("sb").addStorages(Storage.newBuilder().setDriver("ephemeral").setFstype("tmpfs")
                        .setMountPoint("/etc")).build()));
        assertEquals(Code.INVALID_ARGUMENT, outside.code());
        var verity = assertThrows(TtrpcException.class, () -> call("CreateContainer", container("v1", "true").toBuilder()
                .addStorages(Storage.newBuilder().setDriver("nvdimm").setMountPoint("/run/kata-containers/x")).build()));
        assertEquals(Code.UNIMPLEMENTED, verity.code());

        var ifaces = call("ListInterfaces", io.katacc.agent.api.ListInterfacesRequest.getDefaultInstance(),
                io.katacc.agent.api.Interfaces.parser());
        var lo = ifaces.getInterfacesList().stream().filter(i -> i.getName().equals("lo")).findFirst().orElseThrow();
        assertTrue(lo.getIPAddressesList().stream().anyMatch(a -> a.getAddress().equals("127.0.0.1") && a.getMask().equals("8")),
                lo.toString());
        assertEquals(Files.exists(Path.of("/sys/class/net/lo/flags")), lo.getRawFlags() != 0);
        call("ListRoutes", io.katacc.agent.api.ListRoutesRequest.getDefaultInstance(), io.katacc.agent.api.Routes.parser());

        var unimpl = assertThrows(TtrpcException.class, () -> call("GetMetrics", Empty.getDefaultInstance()));
        assertEquals(Code.UNIMPLEMENTED, unimpl.code());
        assertEquals("GetMetrics is not implemented by this agent", unimpl.description());

        assertEquals(HealthCheckResponse.ServingStatus.SERVING, client.call("grpc.Health", "Check",
                CheckRequest.getDefaultInstance(), HealthCheckResponse.parser(), T).getStatus());
        call("StartContainer", StartContainerRequest.newBuilder().setContainerId("dup1").build());
        assertEquals(0, call("WaitProcess", WaitProcessRequest.newBuilder().setContainerId("dup1").build(),
                WaitProcessResponse.parser()).getStatus());
    }
}
