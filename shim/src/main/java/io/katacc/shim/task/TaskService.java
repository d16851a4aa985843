package io.katacc.shim.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.katacc.agent.api.CreateContainerRequest;
import io.katacc.shim.api.events.TaskCreate;
import io.katacc.shim.api.events.TaskDelete;
import io.katacc.shim.api.events.TaskExecAdded;
import io.katacc.shim.api.events.TaskExecStarted;
import io.katacc.shim.api.events.TaskExit;
import io.katacc.shim.api.events.TaskIO;
import io.katacc.shim.api.events.TaskPaused;
import io.katacc.shim.api.events.TaskResumed;
import io.katacc.shim.api.events.TaskStart;
import io.katacc.shim.api.task.*;
import io.katacc.shim.api.types.task.ProcessInfo;
import io.katacc.shim.api.types.task.Status;
import io.katacc.shim.cli.BundleSpec;
import io.katacc.shim.cli.ShimVersion;
import io.katacc.shim.events.EventPublisher;
import io.katacc.shim.rootfs.PodLayers;
import io.katacc.shim.rootfs.RootfsException;
import io.katacc.shim.rootfs.RootfsSource;
import io.katacc.shim.sandbox.Sandbox;
import io.katacc.shim.stdio.StdioPumps;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * {@code containerd.task.v2.Task}: containerd's calls, forwarded to the guest agent of the pod's VM.
 * The first Create boots the sandbox; later Creates reuse it.
 */
public final class TaskService {
    public static final String SERVICE = "containerd.task.v2.Task";
    private static final int SIGKILL = 9;

    private final Sandbox.Factory sandboxFactory;
    private final EventPublisher events;
    private final Clock clock;
    private final Runnable onShutdown;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TaskService.class);
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, ContainerState> containers = new ConcurrentHashMap<>();
    private volatile Sandbox sandbox;

    public TaskService(Sandbox.Factory sandboxFactory, EventPublisher events, Clock clock, Runnable onShutdown) {
        this.sandboxFactory = sandboxFactory;
        this.events = events;
        this.clock = clock;
        this.onShutdown = onShutdown;
    }

    public ServiceRegistry register(ServiceRegistry r) {
        return r.unary(SERVICE, "State", StateRequest.parser(), (q, c) -> state(q))
                .unary(SERVICE, "Create", CreateTaskRequest.parser(), (q, c) -> create(q))
                .unary(SERVICE, "Start", StartRequest.parser(), (q, c) -> start(q))
                .unary(SERVICE, "Delete", DeleteRequest.parser(), (q, c) -> delete(q))
                .unary(SERVICE, "Pids", PidsRequest.parser(), (q, c) -> pids(q))
                .unary(SERVICE, "Pause", PauseRequest.parser(), (q, c) -> pause(q.getId()))
                .unary(SERVICE, "Resume", ResumeRequest.parser(), (q, c) -> resume(q.getId()))
                .unary(SERVICE, "Checkpoint", CheckpointTaskRequest.parser(), (q, c) -> {
                    throw new TtrpcException(Code.UNIMPLEMENTED, "checkpoint is not supported for confidential VMs");
                })
                .unary(SERVICE, "Kill", KillRequest.parser(), (q, c) -> kill(q))
                .unary(SERVICE, "Exec", ExecProcessRequest.parser(), (q, c) -> exec(q))
                .unary(SERVICE, "ResizePty", ResizePtyRequest.parser(), (q, c) -> {
                    process(q.getId(), q.getExecId());
                    agent().ttyWinResize(q.getId(), q.getExecId(), q.getHeight(), q.getWidth());
                    return Empty.getDefaultInstance();
                })
                .unary(SERVICE, "CloseIO", CloseIORequest.parser(), (q, c) -> {
                    process(q.getId(), q.getExecId());
                    if (q.getStdin()) {
                        agent().closeStdin(q.getId(), q.getExecId());
                    }
                    return Empty.getDefaultInstance();
                })
                .unary(SERVICE, "Update", UpdateTaskRequest.parser(), (q, c) -> update(q))
                .unary(SERVICE, "Wait", WaitRequest.parser(), (q, c) -> waitFor(q))
                .unary(SERVICE, "Stats", StatsRequest.parser(), (q, c) -> {
                    container(q.getId());
                    return StatsResponse.newBuilder().setStats(MetricsMapper.toAny(agent().statsContainer(q.getId()))).build();
                })
                .unary(SERVICE, "Connect", ConnectRequest.parser(), (q, c) -> ConnectResponse.newBuilder()
                        .setShimPid((int) ProcessHandle.current().pid())
                        .setTaskPid(sandbox == null ? 0 : (int) sandbox.pid())
                        .setVersion(ShimVersion.version()).build())
                .unary(SERVICE, "Shutdown", ShutdownRequest.parser(), (q, c) -> shutdown(q));
    }

    private Sandbox sandboxOrThrow() {
        Sandbox s = sandbox;
        if (s == null) {
            throw new TtrpcException(Code.FAILED_PRECONDITION, "the sandbox VM is not running");
        }
        return s;
    }

    private io.katacc.shim.agent.AgentClient agent() {
        return sandboxOrThrow().agent();
    }

    private ContainerState container(String id) {
        ContainerState c = containers.get(id);
        if (c == null) {
            throw new TtrpcException(Code.NOT_FOUND, "container " + id + " not found");
        }
        return c;
    }

    private ProcessState process(String id, String execId) {
        ContainerState c = container(id);
        if (execId.isEmpty()) {
            return c.init;
        }
        ProcessState p = c.execs.get(execId);
        if (p == null) {
            throw new TtrpcException(Code.NOT_FOUND, "process " + execId + " of container " + id + " not found");
        }
        return p;
    }

    private int pid() {
        Sandbox s = sandbox;
        return s == null ? 0 : (int) s.pid();
    }

    private synchronized CreateTaskResponse create(CreateTaskRequest q) throws Exception {
        if (q.getId().isEmpty()) {
            throw new TtrpcException(Code.INVALID_ARGUMENT, "create needs a container id");
        }
        if (containers.containsKey(q.getId())) {
            throw new TtrpcException(Code.ALREADY_EXISTS, "container " + q.getId() + " already exists");
        }
        if (!q.getCheckpoint().isEmpty()) {
            throw new TtrpcException(Code.UNIMPLEMENTED, "restoring from a checkpoint is not supported");
        }
        JsonNode oci;
        try {
            oci = json.readTree(Files.readAllBytes(Path.of(q.getBundle(), "config.json")));
        } catch (IOException e) {
            throw new TtrpcException(Code.INVALID_ARGUMENT, "cannot read " + q.getBundle() + "/config.json: " + e.getMessage());
        }
        BundleSpec bundle = BundleSpec.read(Path.of(q.getBundle()));
        io.katacc.agent.api.Spec spec;
        try {
            spec = OciSpecs.spec(oci); // before any VM boots for it
        } catch (IllegalArgumentException e) {
            throw new TtrpcException(Code.INVALID_ARGUMENT, "config.json of " + q.getId() + ": " + e.getMessage());
        }
        if (sandbox == null) {
            sandbox = sandboxFactory.create(bundle.groupId(q.getId()), bundle.annotations());
            Sandbox s = sandbox;
            Thread.ofVirtual().name("oom-watch").start(() -> watchOom(s));
        }
        PodLayers.Prepared rootfs;
        long layersStart = System.nanoTime();
        try {
            rootfs = sandbox.layers().prepare(q.getId(), RootfsSource.of(q.getRootfsList(), Path.of(q.getBundle()),
                    spec.getRoot().getPath()));
        } catch (RootfsException e) {
            throw new TtrpcException(Code.INVALID_ARGUMENT, "rootfs of " + q.getId() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new TtrpcException(Code.INTERNAL, "rootfs of " + q.getId() + " cannot become layer disks: " + e.getMessage());
        }
        log.info("container {}: {} layer storages ready in {} ms", q.getId(), rootfs.storages().size() - 1,
                (System.nanoTime() - layersStart) / 1_000_000);
        var guestSpec = spec.toBuilder();
        guestSpec.getRootBuilder().setPath(rootfs.rootPath());
        long createStart = System.nanoTime();
        try {
            agent().createContainer(CreateContainerRequest.newBuilder().setContainerId(q.getId()).setOCI(guestSpec)
                    .addAllStorages(rootfs.storages()).build());
        } catch (RuntimeException e) {
            sandbox.layers().release(q.getId());
            throw e;
        }
        log.info("container {}: CreateContainer in the guest took {} ms", q.getId(), (System.nanoTime() - createStart) / 1_000_000);
        ProcessState init = new ProcessState(q.getId(), "", q.getStdin(), q.getStdout(), q.getStderr(), q.getTerminal());
        containers.put(q.getId(), new ContainerState(q.getId(), q.getBundle(), init));
        events.publish(TaskCreate.newBuilder().setContainerId(q.getId()).setBundle(q.getBundle())
                .addAllRootfs(q.getRootfsList()).setPid(pid())
                .setIo(TaskIO.newBuilder().setStdin(q.getStdin()).setStdout(q.getStdout()).setStderr(q.getStderr())
                        .setTerminal(q.getTerminal())).build());
        return CreateTaskResponse.newBuilder().setPid(pid()).build();
    }

    private StartResponse start(StartRequest q) {
        ProcessState p = process(q.getId(), q.getExecId());
        if (p.status != Status.CREATED) {
            throw new TtrpcException(Code.FAILED_PRECONDITION, "process " + label(p) + " is " + p.status + ", not CREATED");
        }
        var agent = agent();
        long t0 = System.nanoTime();
        if (p.execId.isEmpty()) {
            agent.startContainer(q.getId());
            log.info("container {}: StartContainer took {} ms", q.getId(), (System.nanoTime() - t0) / 1_000_000);
        } else {
            agent.execProcess(io.katacc.agent.api.ExecProcessRequest.newBuilder().setContainerId(q.getId())
                    .setExecId(p.execId).setProcess(p.execSpec).build());
        }
        p.pumps = StdioPumps.start(agent, p.containerId, p.execId, p.stdin, p.stdout, p.stderr);
        p.status = Status.RUNNING;
        Thread.ofVirtual().name("wait-" + label(p)).start(() -> reap(p));
        events.publish(p.execId.isEmpty()
                ? TaskStart.newBuilder().setContainerId(q.getId()).setPid(pid()).build()
                : TaskExecStarted.newBuilder().setContainerId(q.getId()).setExecId(p.execId).setPid(pid()).build());
        return StartResponse.newBuilder().setPid(pid()).build();
    }

    /** Waits for the process in the guest, drains its output, then records and publishes the exit. */
    private void reap(ProcessState p) {
        int status;
        try {
            status = agent().waitProcess(p.containerId, p.execId);
        } catch (RuntimeException e) {
            status = 128 + SIGKILL; // the agent (or VM) is gone: the process is too
        }
        try {
            if (p.pumps != null) {
                p.pumps.awaitOutput();
                p.pumps.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (status == 128 + SIGKILL) {
            awaitOomReport(p.containerId); // an OOM kill: /tasks/oom first, as containerd's CRI expects
        }
        Instant at = clock.instant();
        p.status = Status.STOPPED;
        // queue the exit event before releasing Wait: whatever containerd does next is published after it
        events.publish(TaskExit.newBuilder().setContainerId(p.containerId)
                .setId(p.execId.isEmpty() ? p.containerId : p.execId).setPid(pid())
                .setExitStatus(status).setExitedAt(ts(at)).build());
        p.exit.complete(new ProcessState.Exit(status, at));
    }

    private final java.util.Set<String> oomReported = ConcurrentHashMap.newKeySet();

    /** A SIGKILLed process may be the OOM killer's: give the agent's report a moment to arrive. */
    private void awaitOomReport(String containerId) {
        for (int i = 0; i < 50 && !oomReported.contains(containerId); i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Relays the agent's OOM notifications as /tasks/oom until the sandbox goes away. */
    private void watchOom(Sandbox s) {
        while (sandbox == s) {
            String id;
            try {
                id = s.agent().nextOomEvent();
            } catch (RuntimeException e) {
                return; // agent gone, or it does not report OOMs
            }
            if (containers.containsKey(id)) {
                events.publish(io.katacc.shim.api.events.TaskOOM.newBuilder().setContainerId(id).build());
                oomReported.add(id);
            }
        }
    }

    private WaitResponse waitFor(WaitRequest q) throws InterruptedException {
        ProcessState p = process(q.getId(), q.getExecId());
        try {
            ProcessState.Exit e = p.exit.get();
            return WaitResponse.newBuilder().setExitStatus(e.status()).setExitedAt(ts(e.at())).build();
        } catch (ExecutionException e) {
            throw new TtrpcException(Code.INTERNAL, "wait failed: " + e.getCause().getMessage());
        }
    }

    private Message kill(KillRequest q) {
        ProcessState p = process(q.getId(), q.getExecId());
        if (p.status == Status.STOPPED) {
            return Empty.getDefaultInstance(); // already dead: containerd treats this as success
        }
        if (p.status == Status.CREATED && p.execId.isEmpty()) {
            agent().signalProcess(q.getId(), "", q.getSignal());
            return Empty.getDefaultInstance();
        }
        agent().signalProcess(q.getId(), q.getExecId(), q.getSignal());
        if (q.getAll() && q.getExecId().isEmpty()) {
            for (ProcessState e : container(q.getId()).execs.values()) {
                if (e.status == Status.RUNNING) {
                    agent().signalProcess(q.getId(), e.execId, q.getSignal());
                }
            }
        }
        return Empty.getDefaultInstance();
    }

    private Message exec(ExecProcessRequest q) throws IOException {
        ContainerState c = container(q.getId());
        if (q.getExecId().isEmpty()) {
            throw new TtrpcException(Code.INVALID_ARGUMENT, "exec needs an exec id");
        }
        if (c.execs.containsKey(q.getExecId())) {
            throw new TtrpcException(Code.ALREADY_EXISTS, "exec " + q.getExecId() + " already exists in " + q.getId());
        }
        JsonNode spec;
        try {
            spec = json.readTree(q.getSpec().getValue().toByteArray());
        } catch (IOException e) {
            throw new TtrpcException(Code.INVALID_ARGUMENT, "exec spec is not an OCI process JSON: " + e.getMessage());
        }
        ProcessState p = new ProcessState(q.getId(), q.getExecId(), q.getStdin(), q.getStdout(), q.getStderr(), q.getTerminal());
        try {
            p.execSpec = OciSpecs.process(spec);
        } catch (IllegalArgumentException e) {
            throw new TtrpcException(Code.INVALID_ARGUMENT, e.getMessage());
        }
        c.execs.put(q.getExecId(), p);
        events.publish(TaskExecAdded.newBuilder().setContainerId(q.getId()).setExecId(q.getExecId()).build());
        return Empty.getDefaultInstance();
    }

    /** containerd sends the new limits as OCI {@code LinuxResources} JSON inside an Any. */
    private Message update(UpdateTaskRequest q) {
        container(q.getId());
        if (!q.hasResources()) {
            throw new TtrpcException(Code.INVALID_ARGUMENT, "update of " + q.getId() + " carries no resources");
        }
        JsonNode r;
        try {
            r = json.readTree(q.getResources().getValue().toByteArray());
        } catch (IOException e) {
            throw new TtrpcException(Code.INVALID_ARGUMENT, "update resources (" + q.getResources().getTypeUrl()
                    + ") are not OCI LinuxResources JSON: " + e.getMessage());
        }
        if (r == null || !r.isObject()) {
            throw new TtrpcException(Code.INVALID_ARGUMENT, "update resources are not a JSON object");
        }
        agent().updateContainer(q.getId(), OciSpecs.resources(r));
        return Empty.getDefaultInstance();
    }

    private StateResponse state(StateRequest q) {
        ContainerState c = container(q.getId());
        ProcessState p = process(q.getId(), q.getExecId());
        StateResponse.Builder b = StateResponse.newBuilder().setId(p.execId.isEmpty() ? c.id : p.execId)
                .setBundle(c.bundle).setPid(pid()).setStatus(p.status).setStdin(p.stdin).setStdout(p.stdout)
                .setStderr(p.stderr).setTerminal(p.terminal).setExecId(p.execId);
        ProcessState.Exit e = p.exit.getNow(null);
        if (e != null) {
            b.setExitStatus(e.status()).setExitedAt(ts(e.at()));
        }
        return b.build();
    }

    private PidsResponse pids(PidsRequest q) {
        container(q.getId());
        return PidsResponse.newBuilder().addProcesses(ProcessInfo.newBuilder().setPid(pid())).build();
    }

    private Message pause(String id) {
        ContainerState c = container(id);
        agent().pauseContainer(id);
        c.init.status = Status.PAUSED;
        events.publish(TaskPaused.newBuilder().setContainerId(id).build());
        return Empty.getDefaultInstance();
    }

    private Message resume(String id) {
        ContainerState c = container(id);
        agent().resumeContainer(id);
        c.init.status = Status.RUNNING;
        events.publish(TaskResumed.newBuilder().setContainerId(id).build());
        return Empty.getDefaultInstance();
    }

    private DeleteResponse delete(DeleteRequest q) {
        ProcessState p = process(q.getId(), q.getExecId());
        if (p.status == Status.RUNNING || p.status == Status.PAUSED) {
            throw new TtrpcException(Code.FAILED_PRECONDITION, "process " + label(p) + " is still running; kill it first");
        }
        ProcessState.Exit e = p.exit.getNow(new ProcessState.Exit(0, clock.instant()));
        if (q.getExecId().isEmpty()) {
            agent().removeContainer(q.getId());
            containers.remove(q.getId());
            oomReported.remove(q.getId());
            sandboxOrThrow().layers().release(q.getId());
            events.publish(TaskDelete.newBuilder().setContainerId(q.getId()).setId(q.getId()).setPid(pid())
                    .setExitStatus(e.status()).setExitedAt(ts(e.at())).build());
        } else {
            container(q.getId()).execs.remove(q.getExecId());
        }
        return DeleteResponse.newBuilder().setPid(pid()).setExitStatus(e.status()).setExitedAt(ts(e.at())).build();
    }

    private Message shutdown(ShutdownRequest q) {
        if (!containers.isEmpty() && !q.getNow()) {
            return Empty.getDefaultInstance(); // other containers of the pod still use this shim
        }
        Sandbox s = sandbox;
        sandbox = null;
        if (s != null) {
            s.close();
        }
        events.close();
        Thread.ofVirtual().start(onShutdown); // after this reply has gone out
        return Empty.getDefaultInstance();
    }

    private static String label(ProcessState p) {
        return p.execId.isEmpty() ? p.containerId : p.containerId + "/" + p.execId;
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}
