package io.katacc.shim.sandbox;

import io.katacc.agent.api.CheckRequest;
import io.katacc.agent.api.HealthCheckResponse;
import io.katacc.shim.config.RuntimeConfig;
import io.katacc.shim.config.RuntimeConfigParser;
import io.katacc.shim.hypervisor.AgentEndpoint;
import io.katacc.shim.hypervisor.ProcessLauncher;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.server.TtrpcServer;
import io.katacc.ttrpc.transport.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(120)
class VmSandboxTest {
    @Test
    void dialsUntilTheAgentAnswersItsHealthCheck(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("agent.sock");
        var registry = new ServiceRegistry().unary("grpc.Health", "Check", CheckRequest.parser(),
                (q, c) -> HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
        // the guest comes up a while after the VM starts
        CompletableFuture<TtrpcServer> late = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(700);
                return TtrpcServer.start(Address.parse("unix://" + sock), registry);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try (var agent = VmSandbox.connect(new AgentEndpoint.Serial(sock), Duration.ofSeconds(30), Duration.ofSeconds(5))) {
            assertNotNull(agent);
        } finally {
            late.get().close();
        }
        IOException e = assertThrows(IOException.class, () -> VmSandbox.connect(new AgentEndpoint.Serial(dir.resolve("none.sock")),
                Duration.ofMillis(500), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().startsWith("agent at "), e.getMessage());
        assertTrue(e.getMessage().contains("did not answer within PT0.5S"), e.getMessage());
    }

    @Test
    void aFailedBootLeavesNoVmAndNoState(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86_64 not installed");
        RuntimeConfig config = new RuntimeConfigParser().parse(Path.of("/t.toml"), """
                [hypervisor.qemu]
                path = "/usr/bin/qemu-system-x86_64"
                kernel = "%s"
                initrd = "%s"
                default_memory = 128
                accel = "tcg"
                [agent.kata]
                dial_timeout = 1
                [runtime]
                state_dir = "%s"
                """.formatted(dir.resolve("missing-kernel"), dir.resolve("missing-initrd"), dir.resolve("state")));
        String policy = Base64.getEncoder().encodeToString("package agent_policy\ndefault AllowRequestsFailingPolicy := true\n".getBytes());
        IOException e = assertThrows(IOException.class, () -> VmSandbox.boot(config, "ns", new ProcessLauncher(), "pod1",
                Map.of("io.katacontainers.config.agent.policy", policy)));
        assertEquals("guest boot file " + dir.resolve("missing-kernel") + " is missing or unreadable", e.getMessage());
        assertFalse(Files.exists(dir.resolve("state/ns/pod1")), "sandbox state removed after a failed boot");
        assertTrue(ProcessHandle.current().children().noneMatch(p -> p.info().command().orElse("").contains("qemu")),
                "no QEMU left running");
    }
}
