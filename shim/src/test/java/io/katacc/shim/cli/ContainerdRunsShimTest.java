package io.katacc.shim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real containerd 1.6 runs our shim binary for {@code ctr run --runtime io.containerd.kata-cc.v2}: start,
 * address, the Task API over ttrpc. Without a guest image the VM cannot boot, so Create must fail with our
 * message, and containerd's cleanup must leave no shim behind.
 */
@Timeout(180)
class ContainerdRunsShimTest {
    private static final Path REPO = Path.of(System.getProperty("kcc.repo.dir", "..")).toAbsolutePath().normalize();

    @Test
    void containerdStartsOurShimAndSeesItsCreateError(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/containerd")) && Files.isExecutable(Path.of("/usr/bin/ctr")),
                "containerd not installed (apt-get install containerd)");
        assumeTrue("root".equals(System.getProperty("user.name")), "a private containerd needs root");
        Path sock = dir.resolve("containerd.sock");
        Path config = Files.writeString(dir.resolve("config.toml"), """
                version = 2
                disabled_plugins = ["io.containerd.grpc.v1.cri"]
                [grpc]
                  address = "%s"
                [ttrpc]
                  address = "%s"
                """.formatted(sock, dir.resolve("containerd.sock.ttrpc")));
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
        ProcessBuilder cpb = new ProcessBuilder("/usr/bin/containerd", "--config", config.toString(),
                "--root", dir.resolve("root").toString(), "--state", dir.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile());
        cpb.environment().put("PATH", REPO.resolve("bin") + ":" + System.getenv("PATH"));
        cpb.environment().put("KATA_CC_CONF_FILE", kcc.toString());
        cpb.environment().put(ShimSocket.DIR_ENV, dir.resolve("s").toString());
        cpb.environment().put("KATA_CC_STATE_DIR", dir.resolve("kcc-state").toString());
        Process containerd = cpb.start();
        try {
            waitForSocket(sock, containerd, dir);
            Process ctr = new ProcessBuilder("/usr/bin/ctr", "--address", sock.toString(), "run", "--rootfs",
                    "--runtime", "io.containerd.kata-cc.v2", rootfs.toString(), "kcc-c1", "/bin/true")
                    .redirectErrorStream(true).start();
            String out = new String(ctr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(ctr.waitFor(120, TimeUnit.SECONDS));
            assertNotEquals(0, ctr.exitValue(), out);
            assertTrue(out.contains("guest boot file " + dir.resolve("no-kernel") + " is missing or unreadable"),
                    "containerd relays our Create error: " + out + "\ncontainerd log:\n" + Files.readString(dir.resolve("containerd.log")));
            // containerd shuts the shim down after the failed create
            for (int i = 0; i < 100 && shimsUnder(dir) > 0; i++) {
                Thread.sleep(200);
            }
            assertEquals(0, shimsUnder(dir), "no shim left running");
        } finally {
            containerd.destroy();
            if (!containerd.waitFor(10, TimeUnit.SECONDS)) {
                containerd.destroyForcibly();
            }
        }
    }

    private static long shimsUnder(Path dir) {
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("")
                .contains(ShimMain.class.getName()) && p.info().arguments().map(a -> String.join(" ", a)).orElse("")
                .contains(dir.resolve("containerd.sock").toString())).count();
    }

    private static void waitForSocket(Path sock, Process containerd, Path dir) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (!containerd.isAlive()) {
                fail("containerd exited: " + Files.readString(dir.resolve("containerd.log")));
            }
            if (Files.exists(sock)) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(sock));
                    return;
                } catch (java.io.IOException e) {
                    // not yet
                }
            }
            Thread.sleep(100);
        }
        fail("containerd did not listen on " + sock);
    }
}
