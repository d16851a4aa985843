package io.katacc.integration.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.integration.TestEnvironment;
import io.katacc.integration.guestimage.Compression;
import io.katacc.integration.guestimage.GuestImageBuild;
import io.katacc.integration.guestimage.GuestImageBuilder;
import io.katacc.integration.placeholder.PlaceholderAgentJar;
import io.katacc.integration.placeholder.PlaceholderEchoAgent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the guest image (with the PLACEHOLDER agent until guest-agent ships a runnable jar) in QEMU
 * and talks to it over the virtio-serial agent channel. Prints the boot figures the README quotes.
 * Variants for measuring: {@code -Dkcc.vm.cmdline=<extra kernel args>}, {@code -Dkcc.guest.compress=gzip}.
 */
@Tag("vm")
class GuestVmBootTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern UPTIME = Pattern.compile("uptime=([0-9.]+)");

    @Test
    void bootsToTheAgentAndAnswersOnTheSerialChannel(@TempDir Path dir) throws Exception {
        TestEnvironment.requireGuestImageTools();
        Path target = TestEnvironment.repoDir().resolve("integration/target");
        Files.createDirectories(target);
        Path jar = PlaceholderAgentJar.write(target.resolve("placeholder-agent.jar"));
        GuestImageBuild build = new GuestImageBuilder(GuestImageBuilder.scriptIn(TestEnvironment.repoDir()), jar)
                .withDefaultPolicy(TestEnvironment.samplePolicy())
                .withCompression(Compression.parse(System.getProperty("kcc.guest.compress", "none"))).build();
        String extraCmdline = System.getProperty("kcc.vm.cmdline", "");
        boolean switchRoot = !extraCmdline.contains("kcc.switch_root=0");

        AcceleratorChoice accel = AcceleratorChoice.detect();
        QemuCommand cmd = new QemuCommand(Path.of("/usr/bin/qemu-system-x86_64"), build.image(),
                accel.accelerator(), 1, 512, dir.resolve("console.log"),
                new AgentChannel.VirtioSerial(dir.resolve("agent.sock")), extraCmdline);
        try (GuestVm vm = GuestVm.start(cmd)) {
            Duration toInit = vm.awaitConsole("kcc-init: start", BOOT_TIMEOUT);
            Duration toReady = vm.awaitConsole(PlaceholderEchoAgent.READY, BOOT_TIMEOUT);
            String console = vm.console();

            try (SocketChannel agent = vm.connectAgent()) {
                // Lines sent before the guest opens its end are dropped by virtio-serial; the READY line
                // above says it is open.
                assertEquals("echo hello from the host", request(agent, "hello from the host"));
                List<String> modules = List.of(request(agent, "modules").split(" "));
                for (String m : List.of("dm_verity", "dm_bufio", "erofs", "overlay", "virtio_console",
                        "virtio_blk", "vmw_vsock_virtio_transport")) {
                    assertTrue(modules.contains(m), "module " + m + " not loaded in the guest: " + modules);
                }
                String mounts = request(agent, "mounts");
                for (String m : List.of(" /sys/fs/cgroup=cgroup2", " /dev=devtmpfs", " /run=tmpfs", " /proc=proc",
                        " /dev/pts=devpts")) {
                    assertTrue(mounts.contains(m), "guest mount " + m.strip() + " missing: " + mounts);
                }
                // virtio_console admits one opener per port: a ttrpc transport must not open it twice.
                String second = request(agent, "second-open");
                assertTrue(second.contains("Device or resource busy"), second);
                // runc needs pivot_root; init's re-rooting makes it work on the initramfs.
                String pivot = request(agent, "pivot");
                if (switchRoot) {
                    assertEquals("pivot ok", pivot);
                } else {
                    assertTrue(pivot.contains("Invalid argument"), "expected EINVAL without re-rooting: " + pivot);
                }
                // When the agent exits, init must power the VM off so QEMU ends.
                write(agent, "exit 7");
                int status = vm.awaitExit(Duration.ofSeconds(60));
                assertTrue(vm.console().contains("kcc-init: agent exited status=7"), vm.console());
                assertEquals(0, status, "QEMU exit status after guest poweroff");
            }

            System.out.printf("guest-image: %s build %d ms (cached=%s), initramfs %s %d bytes%n",
                    build.image().key(), build.elapsed().toMillis(), build.cached(), build.image().manifest().get("compress"),
                    Files.size(build.image().initramfs()));
            System.out.printf("vm-boot[%s: %s]: qemu->init %d ms, qemu->java-ready %d ms; "
                            + "guest uptime at init %s s, at java-ready %s s%n",
                    accel.accelerator(), accel.reason(), toInit.toMillis(), toReady.toMillis(),
                    firstUptime(console, "kcc-init: start"), firstUptime(console, PlaceholderEchoAgent.READY));
            System.out.println("qemu: " + String.join(" ", cmd.argv()));
        }
    }

    private static String firstUptime(String console, String marker) {
        return console.lines().filter(l -> l.contains(marker)).findFirst().map(l -> {
            Matcher m = UPTIME.matcher(l);
            return m.find() ? m.group(1) : "?";
        }).orElse("?");
    }

    private static void write(SocketChannel ch, String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static String request(SocketChannel ch, String line) throws IOException {
        write(ch, line);
        StringBuilder sb = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (ch.read(one) < 0) {
                throw new IOException("agent channel closed; got so far: " + sb);
            }
            char c = (char) one.get(0);
            if (c == '\n') {
                return sb.toString();
            }
            sb.append(c);
        }
    }
}
