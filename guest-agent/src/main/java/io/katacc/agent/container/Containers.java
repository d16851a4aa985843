package io.katacc.agent.container;

import io.katacc.agent.error.AgentException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.katacc.agent.api.CreateContainerRequest;
import io.katacc.agent.api.ExecProcessRequest;
import io.katacc.agent.api.LinuxResources;
import io.katacc.agent.api.StatsContainerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The containers of this sandbox, run by runc from bundles the agent writes. */
public final class Containers {

    private static final Logger LOG = LoggerFactory.getLogger(Containers.class);
    // ids become path components and runc ids: keep them to runc's own alphabet
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START_TIMEOUT_MS = 30_000;

    private final Runc runc;
    private final Path bundles;
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final OomWatcher oom = new OomWatcher();

    public Containers(Runc runc, Path bundles) {
        this.runc = runc;
        this.bundles = bundles;
    }

    /** OOM kills of this sandbox's containers, as GetOOMEvent reports them. */
    public OomWatcher oomEvents() {
        return oom;
    }

    public List<String> ids() {
        return List.copyOf(containers.keySet());
    }

    /** Writes the OCI bundle; the container's init runs on {@link #start}. */
    public void create(CreateContainerRequest req) {
        String id = checkId("container_id", req.getContainerId());
        String execId = req.getExecId().isEmpty() ? id : checkId("exec_id", req.getExecId());
        if (!req.hasOCI()) {
            throw AgentException.invalid("CreateContainerRequest for " + id + " has no OCI spec");
        }
        String rootfs = req.getOCI().hasRoot() ? req.getOCI().getRoot().getPath() : "";
        if (rootfs.isEmpty() || !rootfs.startsWith("/")) {
            throw AgentException.invalid("OCI spec Root.Path must be an absolute path, got '" + rootfs + "'");
        }
        if (!Files.isDirectory(Path.of(rootfs))) {
            throw AgentException.invalid("container rootfs " + rootfs + " does not exist");
        }
        ObjectNode config = OciConfig.config(req.getOCI(), rootfs);
        Container c = new Container(id, execId, bundles.resolve(id), req.getOCI().getProcess());
        if (containers.putIfAbsent(id, c) != null) {
            throw new AgentException(AgentException.Kind.ALREADY_EXISTS, "container " + id + " already exists");
        }
        try {
            Files.createDirectories(c.bundle);
            JSON.writeValue(c.bundle.resolve("config.json").toFile(), config);
        } catch (IOException e) {
            containers.remove(id);
            deleteTree(c.bundle);
            throw new AgentException(AgentException.Kind.INTERNAL, "writing bundle of " + id + ": " + e.getMessage(), e);
        }
        LOG.info("container created id={} bundle={}", id, c.bundle);
    }

    public void start(String containerId) {
        Container c = get(containerId);
        synchronized (c) {
            if (c.state() != Container.State.CREATED) {
                throw new AgentException(AgentException.Kind.FAILED_PRECONDITION,
                        "container " + containerId + " is " + c.state() + ", not CREATED");
            }
            Path pidFile = c.bundle.resolve("init.pid");
            ContainerProcess p = launch(c.initExecId, runc.run(c.id, c.bundle, pidFile).directory(c.bundle.toFile()),
                    pidFile, c.initProcess);
            c.init = p;
            c.state = Container.State.RUNNING;
            OomWatcher.cgroupDirOf(p.pid(), Path.of("/proc"), Path.of("/sys/fs/cgroup"))
                    .ifPresent(dir -> oom.watch(c.id, dir));
            LOG.info("container started id={} pid={}", containerId, p.pid());
        }
    }

    public void exec(ExecProcessRequest req) {
        Container c = get(req.getContainerId());
        String execId = checkId("exec_id", req.getExecId());
        if (!req.hasProcess()) {
            throw AgentException.invalid("ExecProcessRequest " + execId + " has no process");
        }
        if (req.getProcess().getArgsCount() == 0) {
            throw AgentException.invalid("ExecProcessRequest " + execId + " has empty Args");
        }
        if (c.state() != Container.State.RUNNING) {
            throw new AgentException(AgentException.Kind.FAILED_PRECONDITION,
                    "container " + c.id + " is " + c.state() + ", cannot exec");
        }
        if (execId.equals(c.initExecId) || c.execs.containsKey(execId)) {
            throw new AgentException(AgentException.Kind.ALREADY_EXISTS,
                    "process " + execId + " already exists in container " + c.id);
        }
        Path processJson = c.bundle.resolve("exec-" + execId + ".json");
        Path pidFile = c.bundle.resolve("exec-" + execId + ".pid");
        try {
            JSON.writeValue(processJson.toFile(), OciConfig.process(req.getProcess()));
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "writing process.json: " + e.getMessage(), e);
        }
        ContainerProcess p = launch(execId, runc.exec(c.id, processJson, pidFile), pidFile, req.getProcess());
        c.execs.put(execId, p);
        LOG.info("process exec'd container={} exec={} pid={}", c.id, execId, p.pid());
    }

    private ContainerProcess launch(String execId, ProcessBuilder pb, Path pidFile, io.katacc.agent.api.Process spec) {
        Pty pty = null;
        boolean started = false;
        try {
            Files.deleteIfExists(pidFile);
            if (spec.getTerminal()) {
                pty = Pty.open();
                pty.holdSlave();
                if (spec.hasConsoleSize() && spec.getConsoleSize().getHeight() > 0) {
                    pty.resize(spec.getConsoleSize().getHeight(), spec.getConsoleSize().getWidth());
                }
                // runc sees a terminal on its stdio, makes it raw and relays it to the container's own pty
                pb.redirectInput(pty.slavePath()).redirectOutput(pty.slavePath()).redirectError(pty.slavePath());
            }
            ContainerProcess p = new ContainerProcess(execId, pb.start(), pidFile);
            if (pty != null) {
                p.attachTerminal(pty);
            }
            p.awaitStarted(START_TIMEOUT_MS);
            if (pty != null) {
                awaitRelay(p, pty);
            }
            started = true;
            return p;
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "cannot run runc: " + e.getMessage(), e);
        } finally {
            if (!started && pty != null) {
                pty.close();
            }
        }
    }

    /** The pid file comes before runc's terminal relay is up; input sent before that would be lost or echoed. */
    private static void awaitRelay(ContainerProcess p, Pty pty) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!pty.isRaw() && !p.exited() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!pty.isRaw() && !p.exited()) {
            LOG.warn("terminal of {} still not raw after 5 s; runc may not relay it", p.execId());
        }
    }

    /** Empty exec id with {@code all}: every process of the container, as Kata's SignalProcess. */
    public void signal(String containerId, String execId, int signal) {
        Container c = get(containerId);
        if (signal <= 0 || signal > 64) {
            throw AgentException.invalid("signal " + signal + " is out of range 1..64");
        }
        if (execId.isEmpty()) {
            if (c.state() == Container.State.CREATED) {
                throw new AgentException(AgentException.Kind.FAILED_PRECONDITION, "container " + containerId + " is not started");
            }
            runc.kill(c.id, signal, true);
            return;
        }
        process(c, execId).signal(signal);
    }

    /** Waits for the process to exit; an exec'd process is forgotten afterwards, as in Kata. */
    public int waitProcess(String containerId, String execId) {
        Container c = get(containerId);
        ContainerProcess p = process(c, execId);
        int status = p.waitExit();
        if (p != c.init) {
            c.execs.remove(p.execId());
        }
        return status;
    }

    public ContainerProcess process(String containerId, String execId) {
        return process(get(containerId), execId);
    }

    private ContainerProcess process(Container c, String execId) {
        if (execId.isEmpty() || execId.equals(c.initExecId)) {
            if (c.init == null) {
                throw new AgentException(AgentException.Kind.FAILED_PRECONDITION, "container " + c.id + " is not started");
            }
            return c.init;
        }
        ContainerProcess p = c.execs.get(execId);
        if (p == null) {
            throw AgentException.notFound("process " + execId + " not found in container " + c.id);
        }
        return p;
    }

    public void pause(String containerId) {
        Container c = get(containerId);
        synchronized (c) {
            if (c.state() != Container.State.RUNNING) {
                throw new AgentException(AgentException.Kind.FAILED_PRECONDITION,
                        "container " + containerId + " is " + c.state() + ", not RUNNING");
            }
            runc.pause(c.id);
            c.state = Container.State.PAUSED;
        }
    }

    public void resume(String containerId) {
        Container c = get(containerId);
        synchronized (c) {
            if (c.state() != Container.State.PAUSED) {
                throw new AgentException(AgentException.Kind.FAILED_PRECONDITION,
                        "container " + containerId + " is " + c.state() + ", not PAUSED");
            }
            runc.resume(c.id);
            c.state = Container.State.RUNNING;
        }
    }

    public String runcState(String containerId) {
        Container c = get(containerId);
        return runc.state(c.id);
    }

    public void update(String containerId, LinuxResources resources) {
        Container c = get(containerId);
        requireStarted(c);
        Path file = c.bundle.resolve("update-resources.json");
        try {
            JSON.writeValue(file.toFile(), OciConfig.resources(resources));
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "writing resources: " + e.getMessage(), e);
        }
        runc.update(c.id, file);
    }

    public StatsContainerResponse stats(String containerId) {
        Container c = get(containerId);
        requireStarted(c);
        try {
            JsonNode event = JSON.readTree(runc.stats(c.id));
            return StatsMapper.fromRuncEvent(event);
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "runc events output unreadable: " + e.getMessage(), e);
        }
    }

    /** Kills what still runs, waits up to {@code timeoutSeconds} (0 = forever), deletes runc state and bundle. */
    public void remove(String containerId, int timeoutSeconds) {
        Container c = get(containerId);
        synchronized (c) {
            if (c.init != null && !c.init.exited()) {
                if (c.state() == Container.State.PAUSED) {
                    runc.resume(c.id);
                }
                try {
                    runc.kill(c.id, 9, true);
                } catch (AgentException e) {
                    LOG.warn("kill of {} before removal: {}", c.id, e.getMessage());
                }
                boolean gone = c.init.waitExit(timeoutSeconds == 0 ? Long.MAX_VALUE : timeoutSeconds * 1000L);
                if (!gone) {
                    throw new AgentException(AgentException.Kind.INTERNAL,
                            "container " + c.id + " processes still running after " + timeoutSeconds + "s");
                }
            }
            c.execs.values().forEach(ContainerProcess::destroy);
            if (c.init != null) {
                try {
                    runc.deleteForce(c.id);
                } catch (AgentException e) {
                    LOG.warn("runc delete {}: {}", c.id, e.getMessage());
                }
            }
            deleteTree(c.bundle);
            oom.forget(containerId);
            containers.remove(containerId);
            c.state = Container.State.STOPPED;
            LOG.info("container removed id={}", containerId);
        }
    }

    private static void requireStarted(Container c) {
        if (c.state() == Container.State.CREATED || c.state() == Container.State.STOPPED) {
            throw new AgentException(AgentException.Kind.FAILED_PRECONDITION, "container " + c.id + " is " + c.state());
        }
    }

    private Container get(String id) {
        if (id.isEmpty()) {
            throw AgentException.invalid("container_id is empty");
        }
        Container c = containers.get(id);
        if (c == null) {
            throw AgentException.notFound("container " + id + " not found");
        }
        return c;
    }

    private static String checkId(String field, String id) {
        if (!ID.matcher(id).matches()) {
            throw AgentException.invalid(field + " '" + id + "' is not a valid id ([A-Za-z0-9][A-Za-z0-9_.-]{0,127})");
        }
        return id;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
