package io.katacc.shim.hypervisor.qemu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.katacc.shim.hypervisor.AgentEndpoint;
import io.katacc.shim.hypervisor.BlockDevice;
import io.katacc.shim.hypervisor.Hypervisor;
import io.katacc.shim.hypervisor.PciPath;
import io.katacc.shim.hypervisor.ProcessLauncher;
import io.katacc.shim.hypervisor.VmSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** QEMU backend: one process per sandbox, controlled over QMP; disks hot-plug into reserved root ports. */
public final class Qemu implements Hypervisor {
    private static final Logger log = LoggerFactory.getLogger(Qemu.class);
    private static final Duration UNPLUG_TIMEOUT = Duration.ofSeconds(10);

    private final QemuOptions options;
    private final ProcessLauncher launcher;
    private final Duration qmpTimeout;
    private final ObjectMapper json = new ObjectMapper();
    private final BitSet usedPorts = new BitSet();
    private final Map<String, Integer> portOf = new HashMap<>();
    private Process process;
    private QmpClient qmp;
    private Path agentSocket;

    public Qemu(QemuOptions options, ProcessLauncher launcher, Duration qmpTimeout) {
        this.options = options;
        this.launcher = launcher;
        this.qmpTimeout = qmpTimeout;
    }

    @Override
    public void start(VmSpec spec) throws IOException, InterruptedException {
        if (process != null) {
            throw new IllegalStateException("VM already started");
        }
        for (Path p : java.util.stream.Stream.of(spec.kernel(), spec.initrd(), spec.image())
                .flatMap(java.util.Optional::stream).toList()) {
            if (!Files.isReadable(p)) {
                throw new IOException("guest boot file " + p + " is missing or unreadable");
            }
        }
        Path dir = Files.createDirectories(spec.stateDir());
        Path qmpSocket = dir.resolve("qmp.sock");
        agentSocket = dir.resolve("agent.sock");
        Files.deleteIfExists(qmpSocket);
        Files.deleteIfExists(agentSocket);
        List<String> argv = QemuCommandLine.build(spec, options, qmpSocket, agentSocket, dir.resolve("console.log"));
        process = launcher.start(new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()));
        try {
            qmp = QmpClient.connect(qmpSocket, qmpTimeout, process.toHandle());
        } catch (IOException e) {
            process.destroyForcibly();
            String qemuLog = Files.exists(dir.resolve("qemu.log")) ? Files.readString(dir.resolve("qemu.log")).strip() : "";
            throw new IOException(e.getMessage() + (qemuLog.isEmpty() ? "" : "; QEMU said: " + qemuLog), e);
        }
        log.info("QEMU {} started (pid {})", qmp.greeting().at("/QMP/version/qemu"), process.pid());
    }

    public QmpClient qmp() {
        if (qmp == null) {
            throw new IllegalStateException("VM not started");
        }
        return qmp;
    }

    @Override
    public AgentEndpoint agentEndpoint() {
        return options.vhostVsock()
                ? new AgentEndpoint.Vsock(QemuCommandLine.VSOCK_AGENT_CID, 1024)
                : new AgentEndpoint.Serial(agentSocket);
    }

    @Override
    public java.util.Optional<AgentEndpoint> logEndpoint() {
        return java.util.Optional.of(options.vhostVsock()
                ? new AgentEndpoint.Vsock(QemuCommandLine.VSOCK_AGENT_CID, AgentEndpoint.LOG_VSOCK_PORT)
                : new AgentEndpoint.Serial(QemuCommandLine.logSocket(agentSocket)));
    }

    /** {@code blockdev-add} (read-only when asked) then {@code device_add virtio-blk-pci} on a free root port. */
    @Override
    public synchronized PciPath addDisk(BlockDevice disk) throws IOException {
        if (portOf.containsKey(disk.id())) {
            throw new IllegalArgumentException("disk " + disk.id() + " is already attached");
        }
        int port = usedPorts.nextClearBit(0);
        if (port >= options.hotplugPorts()) {
            throw new IOException("no free hot-plug port: all " + options.hotplugPorts() + " are in use");
        }
        ObjectNode file = json.createObjectNode().put("driver", "file").put("filename", disk.path().toString())
                .put("read-only", disk.readOnly());
        ObjectNode node = json.createObjectNode().put("driver", "raw").put("node-name", disk.id())
                .put("read-only", disk.readOnly());
        node.set("file", file);
        qmp().execute("blockdev-add", node);
        try {
            qmp().execute("device_add", json.createObjectNode().put("driver", "virtio-blk-pci")
                    .put("id", "dev-" + disk.id()).put("drive", disk.id()).put("bus", QemuCommandLine.hotplugPort(port)));
        } catch (IOException e) {
            qmp().execute("blockdev-del", json.createObjectNode().put("node-name", disk.id()));
            throw e;
        }
        usedPorts.set(port);
        portOf.put(disk.id(), port);
        return PciPath.of(QemuCommandLine.hotplugPortSlot(port), 0);
    }

    /** {@code device_del}, wait for the guest to release it ({@code DEVICE_DELETED}), then {@code blockdev-del}. */
    @Override
    public synchronized void removeDisk(String id) throws IOException {
        Integer port = portOf.get(id);
        if (port == null) {
            throw new IllegalArgumentException("no hot-plugged disk " + id);
        }
        qmp().execute("device_del", json.createObjectNode().put("id", "dev-" + id));
        qmp().awaitEvent("DEVICE_DELETED", "dev-" + id, UNPLUG_TIMEOUT);
        qmp().execute("blockdev-del", json.createObjectNode().put("node-name", id));
        usedPorts.clear(port);
        portOf.remove(id);
    }

    @Override
    public ProcessHandle process() {
        if (process == null) {
            throw new IllegalStateException("VM not started");
        }
        return process.toHandle();
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            if (process.isAlive() && qmp != null) {
                qmp.execute("quit", null);
            }
        } catch (IOException e) {
            // quit closes the socket under us; a dead QEMU is what we want either way
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            if (qmp != null) {
                qmp.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (IOException ignored) {
            // closing a dead socket
        }
    }
}
