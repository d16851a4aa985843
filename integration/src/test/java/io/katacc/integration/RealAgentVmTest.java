package io.katacc.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.agent.api.CheckRequest;
import io.katacc.agent.api.GuestDetailsRequest;
import io.katacc.agent.api.GuestDetailsResponse;
import io.katacc.agent.api.HealthCheckResponse;
import io.katacc.integration.agent.AgentLauncherJar;
import io.katacc.integration.guestimage.GuestImageBuild;
import io.katacc.integration.guestimage.GuestImageBuilder;
import io.katacc.integration.vm.AcceleratorChoice;
import io.katacc.integration.vm.AgentChannel;
import io.katacc.integration.vm.GuestVm;
import io.katacc.integration.vm.QemuCommand;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.transport.Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the guest image with the REAL guest agent (guest-agent's {@code Main}) in QEMU and calls it over the
 * virtio-serial agent channel with our ttrpc client, as the shim does. Prints the boot figures the README quotes.
 * Two vCPUs by default ({@code -Dkcc.vm.cpus}); one works too since ttrpc reads the serial port on a platform thread.
 */
@Tag("vm")
class RealAgentVmTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);
    private static final String AGENT_READY = "agent ready address=serial://";

    @Test
    void realAgentAnswersHealthAndGuestDetailsOverVirtioSerial(@TempDir Path dir) throws Exception {
        TestEnvironment.requireGuestImageTools();
        Path target = TestEnvironment.repoDir().resolve("integration/target/real-agent");
        Files.createDirectories(target);
        AgentLauncherJar.Layout agent = AgentLauncherJar.write(target);
        GuestImageBuild build = new GuestImageBuilder(GuestImageBuilder.scriptIn(TestEnvironment.repoDir()),
                agent.jar()).withAgentLib(agent.lib()).withDefaultPolicy(TestEnvironment.samplePolicy()).build();

        AcceleratorChoice accel = AcceleratorChoice.detect();
        Path socket = dir.resolve("agent.sock");
        QemuCommand cmd = new QemuCommand(Path.of("/usr/bin/qemu-system-x86_64"), build.image(),
                accel.accelerator(), Integer.getInteger("kcc.vm.cpus", 2), 768, dir.resolve("console.log"), new AgentChannel.VirtioSerial(socket), "");
        try (GuestVm vm = GuestVm.start(cmd)) {
            Duration toInit = vm.awaitConsole("kcc-init: start", BOOT_TIMEOUT);
            Duration toReady = vm.awaitConsole(AGENT_READY, BOOT_TIMEOUT);
            long connectStart = System.nanoTime();
            try (TtrpcClient client = connect(socket, vm)) {
                // Bytes sent while the guest's port is between an EOF and its reopen are dropped by
                // virtio-serial: retry the first call with a short deadline, as Kata's runtime does.
                HealthCheckResponse health = firstHealthCheck(client, vm);
                Duration toAnswer = toReady.plusNanos(System.nanoTime() - connectStart);
                assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());

                GuestDetailsResponse details = client.call("grpc.AgentService", "GetGuestDetails",
                        GuestDetailsRequest.newBuilder().setMemBlockSize(true).setMemHotplugProbe(true).build(),
                        GuestDetailsResponse.parser(), Duration.ofSeconds(30));
                long block = details.getMemBlockSizeBytes();
                assertTrue(block >= (1 << 20) && Long.bitCount(block) == 1,
                        "memory block size read from the guest's sysfs: " + block);
                assertFalse(details.getAgentDetails().getVersion().isEmpty(), details.toString());
                assertFalse(details.getAgentDetails().getInitDaemon(), "init, not the agent, is PID 1: " + details);
                assertFalse(details.getAgentDetails().getStorageHandlersList().isEmpty(), details.toString());

                System.out.printf("real-agent vm[%s: %s]: image build %d ms (cached=%s); qemu->init %d ms, "
                                + "qemu->agent-ready %d ms, qemu->first Health/Check answer %d ms%n",
                        accel.accelerator(), accel.reason(), build.elapsed().toMillis(), build.cached(),
                        toInit.toMillis(), toReady.toMillis(), toAnswer.toMillis());
                System.out.println("guest details: " + details.toString().replace('\n', ' '));
            }
        }
    }

    private static TtrpcClient connect(Path socket, GuestVm vm) {
        try {
            return TtrpcClient.connect(Address.parse("unix://" + socket));
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot connect to the agent channel (QEMU alive: " + vm.isAlive() + "): "
                    + e.getMessage() + "\nconsole:\n" + vm.console() + "\nqemu:\n" + vm.qemuOutput(), e);
        }
    }

    private static HealthCheckResponse firstHealthCheck(TtrpcClient client, GuestVm vm) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return client.call("grpc.Health", "Check", CheckRequest.getDefaultInstance(),
                        HealthCheckResponse.parser(), Duration.ofSeconds(2));
            } catch (TtrpcException e) {
                if (System.nanoTime() > deadline || !vm.isAlive()) {
                    throw new AssertionError("agent did not answer grpc.Health/Check: " + e.getMessage()
                            + "\nconsole:\n" + vm.console(), e);
                }
            }
        }
    }
}
