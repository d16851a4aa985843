package io.katacc.agent.container;

import io.katacc.agent.error.AgentException;
import io.katacc.agent.files.FileTrees;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
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
    private final Path consoleDir;
    private final BlockingIo stdio = new BlockingIo();
    private final AtomicLong consoleSeq = new AtomicLong();

    public Containers(Runc runc, Path bundles) {
        this.runc = runc;
        this.bundles = bundles;
        this.consoleDir = bundles.resolveSibling("console");
        Reaper.becomeSubreaper();
    }

    /** OOM kills of this sandbox's containers, as GetOOMEvent reports them. */
    public OomWatcher oomEvents() {
        return oom;
    }

    public List<String> ids() {
        return List.copyOf(containers.keySet());
    }

    /**
     * Writes the OCI bundle and creates the container with {@code runc create}: its init process exists
     * (and can be read, written, signalled and waited for) but has not exec'd the container's process until
     * {@link #start}, as in Kata.
     */
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
        boolean created = false;
        try {
            synchronized (c) {
                try {
                    Files.createDirectories(c.bundle);
                    JSON.writeValue(c.bundle.resolve("config.json").toFile(), config);
                } catch (IOException e) {
                    throw new AgentException(AgentException.Kind.INTERNAL, "writing bundle of " + id + ": " + e.getMessage(), e);
                }
                Path pidFile = c.bundle.resolve("init.pid");
                Path log = c.bundle.resolve("runc-create.log");
                c.init = launch(id, c.initExecId,
                        console -> runc.create(c.id, c.bundle, pidFile, console, log).directory(c.bundle.toFile()),
                        pidFile, log, c.initProcess);
                // the cgroup exists from now on: an OOM kill right after start is not missed
                OomWatcher.cgroupDirOf(c.init.pid(), Path.of("/proc"), Path.of("/sys/fs/cgroup"))
                        .ifPresent(dir -> oom.watch(c.id, dir));
                created = true;
            }
        } finally {
            if (!created) {
                containers.remove(id);
                try {
                    runc.deleteForce(id);
                } catch (AgentException ignored) {
                    // runc never got as far as keeping state
                }
                deleteTree(c.bundle);
            }
        }
        LOG.info("container created id={} pid={} bundle={}", id, c.init.pid(), c.bundle);
    }

    /** {@code runc start}: the created init execs the container's process. */
    public void start(String containerId) {
        Container c = get(containerId);
        synchronized (c) {
            if (c.state() != Container.State.CREATED) {
                throw new AgentException(AgentException.Kind.FAILED_PRECONDITION,
                        "container " + containerId + " is " + c.state() + ", not CREATED");
            }
            runc.start(c.id);
            c.state = Container.State.RUNNING;
            LOG.info("container started id={} pid={}", containerId, c.init.pid());
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
        if (execId.equals(c.initExecId) || c.execs.containsKey(execId) || !c.launching.add(execId)) {
            throw new AgentException(AgentException.Kind.ALREADY_EXISTS,
                    "process " + execId + " already exists in container " + c.id);
        }
        try {
            Path processJson = c.bundle.resolve("exec-" + execId + ".json");
            Path pidFile = c.bundle.resolve("exec-" + execId + ".pid");
            Path log = c.bundle.resolve("exec-" + execId + ".log");
            try {
                JSON.writeValue(processJson.toFile(), OciConfig.process(req.getProcess()));
            } catch (IOException e) {
                throw new AgentException(AgentException.Kind.INTERNAL, "writing process.json: " + e.getMessage(), e);
            }
            ContainerProcess p = launch(c.id, execId,
                    console -> runc.execDetached(c.id, processJson, pidFile, console, log), pidFile, log, req.getProcess());
            c.execs.put(execId, p);
            LOG.info("process exec'd container={} exec={} pid={}", c.id, execId, p.pid());
        } finally {
            c.launching.remove(execId);
        }
    }

    /**
     * Runs a detached runc that creates one process and exits, then takes the process over: its pid (from
     * runc's pid file) is waited for by the agent as subreaper, its stdio are our pipes or the pty runc sent.
     */
    private ContainerProcess launch(String containerId, String execId, Function<Path, ProcessBuilder> command,
                                    Path pidFile, Path log, io.katacc.agent.api.Process spec) {
        ConsoleSocket console = spec.getTerminal() ? ConsoleSocket.listen(consoleDir.resolve(consoleSeq.incrementAndGet() + ".sock")) : null;
        StdioPipes pipes = console == null ? StdioPipes.open() : null;
        Pty pty = null;
        int pid = 0;
        int pidfd = -1;
        boolean launched = false;
        try {
            Files.deleteIfExists(pidFile);
            Files.deleteIfExists(log);
            ProcessBuilder pb = command.apply(console == null ? null : console.path());
            if (pipes != null) {
                pb.redirectInput(pipes.childStdin()).redirectOutput(pipes.childStdout()).redirectError(pipes.childStderr());
            } else {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            java.lang.Process r = pb.start();
            if (pipes != null) {
                pipes.closeChildEnds();
            }
            if (!r.waitFor(START_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                r.destroyForcibly();
                throw new AgentException(AgentException.Kind.INTERNAL,
                        "runc did not create process " + execId + " of " + containerId + " in time");
            }
            if (r.exitValue() != 0) {
                throw new AgentException(AgentException.Kind.INTERNAL, "runc could not create process " + execId
                        + " of " + containerId + " (exit " + r.exitValue() + "): " + Runc.errorsIn(log));
            }
            pid = readPid(pidFile);
            pidfd = Signals.pidfdOpen(pid); // while the pid cannot be reused: only our reaper frees it
            CompletableFuture<Integer> exit = Reaper.watch(pid, execId);
            if (console != null) {
                pty = Pty.ofMaster(console.receiveMaster(5_000), execId);
                if (spec.hasConsoleSize() && spec.getConsoleSize().getHeight() > 0) {
                    pty.resize(spec.getConsoleSize().getHeight(), spec.getConsoleSize().getWidth());
                }
            }
            ContainerProcess p = new ContainerProcess(execId, pid, pidfd, exit, pipes, pty, stdio);
            launched = true;
            return p;
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "cannot run runc: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(AgentException.Kind.INTERNAL, "interrupted creating process " + execId);
        } finally {
            if (console != null) {
                console.close();
            }
            if (!launched) {
                if (pid > 0) {
                    try {
                        Signals.send(pidfd, pid, 9); // made, but we could not take it over: it must not run unattended
                    } catch (AgentException ignored) {
                        // already gone
                    }
                }
                if (pidfd >= 0) {
                    Libc.C.close(pidfd);
                }
                if (pipes != null) {
                    pipes.close();
                }
                if (pty != null) {
                    pty.close();
                }
            }
        }
    }

    private static int readPid(Path pidFile) {
        try {
            return Integer.parseInt(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "runc left no usable pid file " + pidFile + ": " + e.getMessage());
        }
    }

    /** Empty exec id with {@code all}: every process of the container, as Kata's SignalProcess. */
    public void signal(String containerId, String execId, int signal) {
        Container c = get(containerId);
        if (signal <= 0 || signal > 64) {
            throw AgentException.invalid("signal " + signal + " is out of range 1..64");
        }
        if (execId.isEmpty()) {
            if (c.state() == Container.State.STOPPED) {
                throw new AgentException(AgentException.Kind.NOT_FOUND, "container " + containerId + " has no running process");
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
                throw new AgentException(AgentException.Kind.FAILED_PRECONDITION, "container " + c.id + " is still being created");
            }
            return c.init;
        }
        ContainerProcess p = c.execs.get(execId);
        if (p == null) { // unknown, or still being launched
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
            if (c.init == null) {
                throw AgentException.notFound("container " + containerId + " not found"); // its create failed
            }
            if (!c.init.exited()) {
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
            try {
                runc.deleteForce(c.id);
            } catch (AgentException e) {
                LOG.warn("runc delete {}: {}", c.id, e.getMessage());
            }
            c.init.destroy();
            deleteTree(c.bundle);
            oom.forget(containerId);
            containers.remove(containerId);
            c.state = Container.State.STOPPED;
            LOG.info("container removed id={}", containerId);
        }
    }

    private static void requireStarted(Container c) {
        if (c.state() == Container.State.STOPPED) {
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
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
