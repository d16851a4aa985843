package io.katacc.shim.hypervisor.clh;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cloud Hypervisor backend: start {@code cloud-hypervisor --api-socket path=<sock>}, wait for
 * {@code vmm.ping}, then {@code vm.create} + {@code vm.boot}. The agent is reached by hybrid vsock.
 */
public final class CloudHypervisor implements Hypervisor {
    private static final Logger log = LoggerFactory.getLogger(CloudHypervisor.class);
    public static final int AGENT_PORT = 1024;

    private final Path binary;
    private final ProcessLauncher launcher;
    private final Duration apiTimeout;
    private Process process;
    private ChApi api;
    private Path vsockSocket;

    public CloudHypervisor(Path binary, ProcessLauncher launcher, Duration apiTimeout) {
        this.binary = binary;
        this.launcher = launcher;
        this.apiTimeout = apiTimeout;
    }

    @Override
    public void start(VmSpec spec) throws IOException, InterruptedException {
        if (process != null) {
            throw new IllegalStateException("VM already started");
        }
        if (!Files.isExecutable(binary)) {
            throw new IOException("cloud-hypervisor binary " + binary + " is not executable");
        }
        Path dir = Files.createDirectories(spec.stateDir());
        Path apiSocket = dir.resolve("clh-api.sock");
        vsockSocket = dir.resolve("clh.sock");
        Files.deleteIfExists(apiSocket);
        Files.deleteIfExists(vsockSocket);
        process = launcher.start(new ProcessBuilder(List.of(binary.toString(), "--api-socket", "path=" + apiSocket))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("clh.log").toFile()));
        api = new ChApi(new UnixHttpClient(apiSocket));
        JsonNode version = waitForApi(apiSocket);
        log.info("cloud-hypervisor {} up (pid {})", version.path("version").asText("?"), process.pid());
        api.createVm(ChVmConfig.vmConfig(spec, vsockSocket, dir.resolve("console.log")));
        api.bootVm();
    }

    /** Boots through an already running VMM's API (used when the process is supervised elsewhere). */
    public static void boot(ChApi api, VmSpec spec, Path vsockSocket, Path serialLog) throws IOException {
        api.ping();
        api.createVm(ChVmConfig.vmConfig(spec, vsockSocket, serialLog));
        api.bootVm();
    }

    private JsonNode waitForApi(Path apiSocket) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(apiTimeout);
        IOException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("cloud-hypervisor exited with status " + process.exitValue() + " before its API came up");
            }
            if (Files.exists(apiSocket)) {
                try {
                    return api.ping();
                } catch (IOException e) {
                    last = e;
                }
            }
            Thread.sleep(20);
        }
        throw new IOException("cloud-hypervisor API " + apiSocket + " did not answer within " + apiTimeout, last);
    }

    @Override
    public AgentEndpoint agentEndpoint() {
        return new AgentEndpoint.HybridVsock(vsockSocket, AGENT_PORT);
    }

    @Override
    public java.util.Optional<AgentEndpoint> logEndpoint() {
        return java.util.Optional.of(new AgentEndpoint.HybridVsock(vsockSocket, AgentEndpoint.LOG_VSOCK_PORT));
    }

    @Override
    public PciPath addDisk(BlockDevice disk) throws IOException {
        String bdf = requireApi().addDisk(ChVmConfig.disk(disk)).path("bdf").asText("");
        try {
            return PciPath.fromRootBusBdf(bdf);
        } catch (IllegalArgumentException e) {
            throw new IOException("Cloud Hypervisor's vm.add-disk answer has no usable bdf: " + e.getMessage(), e);
        }
    }

    @Override
    public void removeDisk(String id) throws IOException {
        requireApi().removeDevice(id);
    }

    @Override
    public ProcessHandle process() {
        if (process == null) {
            throw new IllegalStateException("VM not started");
        }
        return process.toHandle();
    }

    private ChApi requireApi() {
        if (api == null) {
            throw new IllegalStateException("VM not started");
        }
        return api;
    }

    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            api.shutdownVm();
            api.shutdownVmm();
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                return;
            }
        } catch (IOException e) {
            log.warn("graceful cloud-hypervisor shutdown failed, killing it: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
