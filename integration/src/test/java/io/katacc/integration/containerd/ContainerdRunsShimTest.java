package io.katacc.integration.containerd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.katacc.shim.cli.ShimMain;
import io.katacc.shim.cli.ShimSocket;
import io.katacc.shim.events.PublishBinaryPublisher;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A real containerd 1.6 runs our shim binary for {@code ctr run --runtime io.containerd.kata-cc.v2}: start,
 * address, the Task API over ttrpc. Without a guest image the VM cannot boot, so Create must fail with our
 * message, and containerd's cleanup must leave no shim behind.
 */
@Timeout(180)
class ContainerdRunsShimTest {
    private static final Path REPO = io.katacc.integration.TestEnvironment.repoDir();

    @Test
    void containerdStartsOurShimAndSeesItsCreateError(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PrivateContainerd.unavailableReason().isEmpty(),
                () -> PrivateContainerd.unavailableReason().orElse(""));
        Path kcc = Files.writeString(dir.resolve("kata-cc.toml"), """
                [hypervisor.qemu]
                path = "/usr/bin/qemu-system-x86_64"
                kernel = "%s"
                initrd = "%s"
                accel = "tcg"
                [runtime]
                state_dir = "%s"
                default_policy = "%s"
                """.formatted(dir.resolve("no-kernel"), dir.resolve("no-initrd"), dir.resolve("kcc-state"),
                Files.writeString(dir.resolve("policy.rego"), "package agent_policy\n")));
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Map<String, String> env = Map.of(
                "PATH", REPO.resolve("bin") + ":" + System.getenv("PATH"),
                "KATA_CC_CONF_FILE", kcc.toString(),
                ShimSocket.DIR_ENV, dir.resolve("s").toString(),
                "KATA_CC_STATE_DIR", dir.resolve("kcc-state").toString());
        try (PrivateContainerd containerd = PrivateContainerd.start(dir, env)) {
            Path sock = containerd.socket();
            Process ctr = new ProcessBuilder(PrivateContainerd.CTR.toString(), "--address", sock.toString(), "run", "--rootfs",
                    "--runtime", "io.containerd.kata-cc.v2", rootfs.toString(), "kcc-c1", "/bin/true")
                    .redirectErrorStream(true).start();
            String out = new String(ctr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(ctr.waitFor(120, TimeUnit.SECONDS));
            assertNotEquals(0, ctr.exitValue(), out);
            assertTrue(out.contains("guest boot file " + dir.resolve("no-kernel") + " is missing or unreadable"),
                    "containerd relays our Create error: " + out + "\ncontainerd log:\n" + containerd.log());
            // containerd shuts the shim down after the failed create
            for (int i = 0; i < 100 && shimsUnder(dir) > 0; i++) {
                Thread.sleep(200);
            }
            assertEquals(0, shimsUnder(dir), "no shim left running");
        }
    }

    private static long shimsUnder(Path dir) {
        String sock = dir.resolve("containerd.sock").toString();
        return ProcessHandle.allProcesses()
                .map(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse(""))
                .filter(cmd -> cmd.contains(ShimMain.class.getName()) && cmd.contains(sock))
                .count();
    }
}
