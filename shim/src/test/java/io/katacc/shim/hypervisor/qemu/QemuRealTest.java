package io.katacc.shim.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.katacc.shim.hypervisor.AgentEndpoint;
import io.katacc.shim.hypervisor.BlockDevice;
import io.katacc.shim.hypervisor.ProcessLauncher;
import io.katacc.shim.hypervisor.VmSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real qemu-system-x86_64 (Debian package), created paused under TCG: QMP and disk hot-plug. */
@Timeout(120)
class QemuRealTest {
    private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

    private static Path kernel() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/boot"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).sorted().findFirst().orElse(null);
        }
    }

    @Test
    void startsHotplugsAReadOnlyDiskAndQuits(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(QEMU), "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)");
        Path kernel = kernel();
        assumeTrue(kernel != null, "no /boot/vmlinuz-* (apt-get install linux-image-amd64)");
        Path layer = dir.resolve("layer0.img");
        try (RandomAccessFile f = new RandomAccessFile(layer.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        var options = new QemuOptions(QEMU, false, false, QemuVersion.of(QEMU), 2, true);
        var spec = new VmSpec("t1", 1, 1, 128, Optional.of(kernel), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of("console=ttyS0"), false, new byte[0], List.of(), dir.resolve("state"));
        Qemu qemu = new Qemu(options, new ProcessLauncher(), Duration.ofSeconds(60));
        try {
            qemu.start(spec);
            assertEquals("prelaunch", qemu.qmp().execute("query-status", null).path("status").asText());
            assertEquals(new AgentEndpoint.Serial(dir.resolve("state/agent.sock")), qemu.agentEndpoint());
            assertTrue(Files.exists(dir.resolve("state/agent.sock")), "QEMU created the agent channel socket");

            assertEquals("10/00", qemu.addDisk(new BlockDevice("layer0", layer, true)).toString());
            JsonNode nodes = qemu.qmp().execute("query-named-block-nodes", null);
            JsonNode node = null;
            for (JsonNode n : nodes) {
                if (n.path("node-name").asText().equals("layer0")) {
                    node = n;
                }
            }
            assertNotNull(node, "block node layer0 exists: " + nodes);
            assertTrue(node.path("ro").asBoolean(), "layer is read-only");
            JsonNode peripherals = qemu.qmp().execute("qom-list", new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode().put("path", "/machine/peripheral"));
            assertTrue(peripherals.toString().contains("\"dev-layer0\""), peripherals.toString());
            assertEquals("11/00", qemu.addDisk(new BlockDevice("layer1", layer, true)).toString(), "next free port");
            IOException full = assertThrows(IOException.class, () -> qemu.addDisk(new BlockDevice("layer2", layer, true)));
            assertEquals("no free hot-plug port: all 2 are in use", full.getMessage());
            assertThrows(IllegalArgumentException.class, () -> qemu.addDisk(new BlockDevice("layer0", layer, true)));
        } finally {
            qemu.close();
        }
        assertFalse(qemu.process().isAlive(), "QEMU is gone after close");
    }

    @Test
    void missingBootFilesAndQemuErrorsAreReported(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(QEMU), "qemu-system-x86_64 not installed");
        var options = new QemuOptions(QEMU, false, false, QemuVersion.of(QEMU), 0, true);
        var spec = new VmSpec("t2", 1, 1, 128, Optional.of(dir.resolve("no-such-kernel")), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), false, new byte[0], List.of(), dir.resolve("state"));
        Qemu qemu = new Qemu(options, new ProcessLauncher(), Duration.ofSeconds(60));
        IOException e = assertThrows(IOException.class, () -> qemu.start(spec));
        assertEquals("guest boot file " + dir.resolve("no-such-kernel") + " is missing or unreadable", e.getMessage());

        // a kernel QEMU cannot load: QEMU's own error reaches the caller
        Path notAKernel = Files.writeString(dir.resolve("not-a-kernel"), "hello");
        var bad = new VmSpec("t3", 1, 1, 128, Optional.of(notAKernel), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), false, new byte[0], List.of(), dir.resolve("state3"));
        Qemu qemu3 = new Qemu(options, new ProcessLauncher(), Duration.ofSeconds(60));
        IOException e3 = assertThrows(IOException.class, () -> qemu3.start(bad));
        assertTrue(e3.getMessage().contains("QEMU said: "), e3.getMessage());
        qemu3.close();
        qemu.close();
    }
}
