package io.katacc.shim.task;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.katacc.agent.api.CreateContainerRequest;
import io.katacc.agent.api.SignalProcessRequest;
import io.katacc.shim.agent.AgentClient;
import io.katacc.shim.api.events.TaskExit;
import io.katacc.shim.api.task.*;
import io.katacc.shim.api.types.task.Status;
import io.katacc.shim.events.EventPublisher;
import io.katacc.shim.events.Topic;
import io.katacc.shim.sandbox.Sandbox;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.server.TtrpcServer;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.transport.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/** containerd's side over real ttrpc to the shim's Task service, which forwards to a fake agent over real ttrpc. */
@Timeout(120)
class TaskServiceTest {
    private static final String TASK = "containerd.task.v2.Task";
    private static final Duration T = Duration.ofSeconds(30);

    private final List<Message> events = new CopyOnWriteArrayList<>();
    private final EventPublisher recorder = new EventPublisher() {
        @Override
        public void publish(Message event) {
            Topic.of(event);
            events.add(event);
        }

        @Override
        public void close() {
        }
    };

    private static <R> R call(TtrpcClient c, String method, Message req, Parser<R> parser) {
        return c.call(TASK, method, req, parser, T);
    }

    @Test
    void containerLifecycleIsForwardedToTheAgent(@TempDir Path dir) throws Exception {
        FakeAgent agent = new FakeAgent();
        AtomicBoolean sandboxClosed = new AtomicBoolean();
        CountDownLatch shutdown = new CountDownLatch(1);
        Path bundle = Files.createDirectories(dir.resolve("c1"));
        Files.writeString(bundle.resolve("config.json"), """
                {"ociVersion":"1.1.0","hostname":"pod1",
                 "process":{"args":["sh","-c","echo hello; exit 3"],"env":["PATH=/bin"],"cwd":"/","user":{"uid":0,"gid":0}},
                 "root":{"path":"rootfs"},
                 "annotations":{"io.kubernetes.cri.sandbox-id":"pod1"}}""");
        Files.writeString(Files.createDirectories(bundle.resolve("rootfs/bin")).resolve("sh"), "not really a shell");
        List<String> attached = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> detached = new java.util.concurrent.CopyOnWriteArrayList<>();
        var layers = new io.katacc.shim.rootfs.PodLayers(
                new io.katacc.verity.cache.LayerCache(dir.resolve("layer-cache"), new io.katacc.verity.layer.LayerImageBuilder()),
                new io.katacc.verity.layer.LayerImageBuilder(), dir.resolve("scratch"), new io.katacc.shim.rootfs.PodLayers.Disks() {
                    public io.katacc.shim.hypervisor.PciPath attach(io.katacc.shim.hypervisor.BlockDevice d) {
                        attached.add(d.id());
                        return io.katacc.shim.hypervisor.PciPath.of(0x10, 0);
                    }

                    public void detach(String id) {
                        detached.add(id);
                    }
                }, io.katacc.shim.rootfs.LayerStorageLayout.PER_LAYER);
        Path stdout = Files.createFile(dir.resolve("stdout"));
        Path execOut = Files.createFile(dir.resolve("exec-stdout"));

        try (TtrpcServer agentServer = TtrpcServer.start(Address.parse("unix://" + dir.resolve("agent.sock")), agent.registry())) {
            Sandbox.Factory factory = (id, annotations) -> {
                assertEquals("pod1", id);
                var client = new AgentClient(TtrpcClient.connect(Address.parse("unix://" + dir.resolve("agent.sock"))), T);
                return new Sandbox() {
                    public AgentClient agent() {
                        return client;
                    }

                    public io.katacc.shim.rootfs.PodLayers layers() {
                        return layers;
                    }

                    public long pid() {
                        return ProcessHandle.current().pid();
                    }

                    public void close() {
                        sandboxClosed.set(true);
                        client.close();
                    }
                };
            };
            TaskService service = new TaskService(factory, recorder, Clock.systemUTC(), shutdown::countDown);
            try (TtrpcServer shim = TtrpcServer.start(Address.parse("unix://" + dir.resolve("shim.sock")),
                    service.register(new ServiceRegistry()));
                 TtrpcClient containerd = TtrpcClient.connect(Address.parse("unix://" + dir.resolve("shim.sock")))) {
                int pid = (int) ProcessHandle.current().pid();

                var created = call(containerd, "Create", CreateTaskRequest.newBuilder().setId("c1").setBundle(bundle.toString())
                        .setStdout(stdout.toString()).build(), CreateTaskResponse.parser());
                assertEquals(pid, created.getPid());
                CreateContainerRequest cc = (CreateContainerRequest) agent.calls.getFirst();
                assertEquals("c1", cc.getContainerId());
                assertEquals(List.of("sh", "-c", "echo hello; exit 3"), cc.getOCI().getProcess().getArgsList());
                assertEquals("pod1", cc.getOCI().getHostname());
                // the bundle's rootfs reached the guest as one verity layer under an overlay, not as a host path
                assertEquals("/run/kata-containers/c1/rootfs", cc.getOCI().getRoot().getPath());
                assertEquals(List.of("blk", "overlayfs"), cc.getStoragesList().stream().map(s -> s.getDriver()).toList());
                assertEquals("10/00", cc.getStorages(0).getSource());
                assertTrue(cc.getStorages(0).getOptionsList().contains("X-kata.dmverity-enabled=true"), cc.toString());
                assertTrue(cc.getStorages(1).getOptionsList().contains("lowerdir=" + cc.getStorages(0).getMountPoint()), cc.toString());
                assertEquals(1, attached.size());
                assertEquals(Status.CREATED, call(containerd, "State", StateRequest.newBuilder().setId("c1").build(),
                        StateResponse.parser()).getStatus());

                TtrpcException dup = assertThrows(TtrpcException.class, () -> call(containerd, "Create",
                        CreateTaskRequest.newBuilder().setId("c1").setBundle(bundle.toString()).build(), CreateTaskResponse.parser()));
                assertEquals(Code.ALREADY_EXISTS, dup.code());

                assertEquals(pid, call(containerd, "Start", StartRequest.newBuilder().setId("c1").build(), StartResponse.parser()).getPid());
                WaitResponse w = call(containerd, "Wait", WaitRequest.newBuilder().setId("c1").build(), WaitResponse.parser());
                assertEquals(3, w.getExitStatus());
                assertTrue(w.getExitedAt().getSeconds() > 0);
                assertEquals("hello\n", Files.readString(stdout), "stdout pumped to containerd's stdout path before the exit");
                for (int i = 0; i < 100 && events.stream().noneMatch(e -> e instanceof io.katacc.shim.api.events.TaskOOM); i++) {
                    Thread.sleep(50); // the agent reports the OOM kill asynchronously
                }
                StateResponse st = call(containerd, "State", StateRequest.newBuilder().setId("c1").build(), StateResponse.parser());
                assertEquals(Status.STOPPED, st.getStatus());
                assertEquals(3, st.getExitStatus());

                String processJson = "{\"args\":[\"sleep\",\"100\"],\"cwd\":\"/\",\"terminal\":false}";
                call(containerd, "Exec", ExecProcessRequest.newBuilder().setId("c1").setExecId("e1").setStdout(execOut.toString())
                        .setSpec(Any.newBuilder().setTypeUrl("types.containerd.io/opencontainers/runtime-spec/1/Process")
                                .setValue(ByteString.copyFrom(processJson, StandardCharsets.UTF_8))).build(), com.google.protobuf.Empty.parser());
                call(containerd, "Start", StartRequest.newBuilder().setId("c1").setExecId("e1").build(), StartResponse.parser());
                call(containerd, "Kill", KillRequest.newBuilder().setId("c1").setExecId("e1").setSignal(9).build(), com.google.protobuf.Empty.parser());
                assertEquals(137, call(containerd, "Wait", WaitRequest.newBuilder().setId("c1").setExecId("e1").build(),
                        WaitResponse.parser()).getExitStatus());
                assertTrue(agent.calls.stream().anyMatch(m -> m instanceof SignalProcessRequest s && s.getExecId().equals("e1") && s.getSignal() == 9));

                assertEquals(Code.UNIMPLEMENTED, assertThrows(TtrpcException.class, () -> call(containerd, "Checkpoint",
                        CheckpointTaskRequest.newBuilder().setId("c1").build(), com.google.protobuf.Empty.parser())).code());
                assertEquals(Code.NOT_FOUND, assertThrows(TtrpcException.class, () -> call(containerd, "State",
                        StateRequest.newBuilder().setId("nope").build(), StateResponse.parser())).code());
                TtrpcException badExec = assertThrows(TtrpcException.class, () -> call(containerd, "Exec",
                        ExecProcessRequest.newBuilder().setId("c1").setExecId("e2").setSpec(Any.newBuilder()
                                .setValue(ByteString.copyFromUtf8("{\"args\":[]}"))).build(), com.google.protobuf.Empty.parser()));
                assertEquals(Code.INVALID_ARGUMENT, badExec.code());
                assertEquals("OCI process needs a non-empty args array", badExec.description());

                call(containerd, "Delete", DeleteRequest.newBuilder().setId("c1").setExecId("e1").build(), DeleteResponse.parser());
                DeleteResponse del = call(containerd, "Delete", DeleteRequest.newBuilder().setId("c1").build(), DeleteResponse.parser());
                assertEquals(3, del.getExitStatus());
                assertEquals(attached, detached, "the container's layer is detached with it");
                assertEquals(Code.NOT_FOUND, assertThrows(TtrpcException.class, () -> call(containerd, "State",
                        StateRequest.newBuilder().setId("c1").build(), StateResponse.parser())).code());

                call(containerd, "Shutdown", ShutdownRequest.newBuilder().setId("c1").build(), com.google.protobuf.Empty.parser());
                assertTrue(shutdown.await(10, TimeUnit.SECONDS), "shim shuts down after the last container");
                assertTrue(sandboxClosed.get(), "sandbox VM torn down");
            }
        }
        // the OOM notice arrives asynchronously: check it on its own, and the order of the rest
        assertEquals(List.of("c1"), events.stream().filter(e -> e instanceof io.katacc.shim.api.events.TaskOOM)
                .map(e -> ((io.katacc.shim.api.events.TaskOOM) e).getContainerId()).toList());
        List<Message> ordered = events.stream().filter(e -> !(e instanceof io.katacc.shim.api.events.TaskOOM)).toList();
        assertEquals(List.of("/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/exec-added", "/tasks/exec-started",
                "/tasks/exit", "/tasks/delete"), ordered.stream().map(Topic::of).toList());
        TaskExit first = (TaskExit) ordered.get(2);
        assertEquals("c1", first.getId());
        assertEquals(3, first.getExitStatus());
        TaskExit second = (TaskExit) ordered.get(5);
        assertEquals("e1", second.getId());
        assertEquals(137, second.getExitStatus());
    }

    @Test
    void callsBeforeTheSandboxExistsFailClearly(@TempDir Path dir) throws Exception {
        TaskService service = new TaskService((id, a) -> {
            throw new AssertionError("not booted here");
        }, recorder, Clock.systemUTC(), () -> { });
        try (TtrpcServer shim = TtrpcServer.start(Address.parse("unix://" + dir.resolve("shim.sock")), service.register(new ServiceRegistry()));
             TtrpcClient containerd = TtrpcClient.connect(Address.parse("unix://" + dir.resolve("shim.sock")))) {
            TtrpcException e = assertThrows(TtrpcException.class, () -> call(containerd, "Start",
                    StartRequest.newBuilder().setId("x").build(), StartResponse.parser()));
            assertEquals(Code.NOT_FOUND, e.code());
            assertEquals("container x not found", e.description());
            TtrpcException noBundle = assertThrows(TtrpcException.class, () -> call(containerd, "Create",
                    CreateTaskRequest.newBuilder().setId("x").setBundle(dir.resolve("missing").toString()).build(), CreateTaskResponse.parser()));
            assertEquals(Code.INVALID_ARGUMENT, noBundle.code());
            assertEquals(0, call(containerd, "Connect", ConnectRequest.newBuilder().setId("x").build(),
                    ConnectResponse.parser()).getTaskPid());
        }
        assertTrue(events.isEmpty());
    }
}
