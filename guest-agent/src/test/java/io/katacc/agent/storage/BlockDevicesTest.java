package io.katacc.agent.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.agent.error.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PCI paths resolved over a sysfs laid out as a q35 guest's (root port at 00:10.0, disk behind it). */
class BlockDevicesTest {
    @TempDir
    Path tmp;

    @Test
    void walksThePciPathToTheVirtioDisk() throws Exception {
        Path sys = tmp.resolve("sys/devices");
        Files.createDirectories(sys.resolve("pci0000:00/0000:00:10.0/0000:01:00.0/virtio3/block/vdb"));
        Files.createDirectories(sys.resolve("pci0000:00/0000:00:11.0/0000:02:00.0/virtio4/block/vdc"));
        Files.createDirectories(sys.resolve("pci0000:00/0000:00:06.0/virtio2/block/vda"));
        Path dev = Files.createDirectories(tmp.resolve("dev"));
        Files.createFile(dev.resolve("vda"));
        Files.createFile(dev.resolve("vdb"));
        Files.createFile(dev.resolve("vdc"));
        BlockDevices b = new BlockDevices(sys, dev, Duration.ofMillis(200));
        assertEquals(dev.resolve("vdb").toString(), b.resolve("10/00"));
        assertEquals(dev.resolve("vdc").toString(), b.resolve("11/00"));
        assertEquals(dev.resolve("vda").toString(), b.resolve("06"));
        assertEquals("/dev/vdz", b.resolve("/dev/vdz"), "a device path passes through");
    }

    @Test
    void waitsForAHotPluggedDiskThenGivesUpNamingThePath() throws Exception {
        Path sys = Files.createDirectories(tmp.resolve("sys/devices/pci0000:00"));
        Path dev = Files.createDirectories(tmp.resolve("dev"));
        BlockDevices b = new BlockDevices(tmp.resolve("sys/devices"), dev, Duration.ofSeconds(5));
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
                Files.createDirectories(sys.resolve("0000:00:12.0/0000:03:00.0/virtio7/block/vdd"));
                Files.createFile(dev.resolve("vdd"));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals(dev.resolve("vdd").toString(), b.resolve("12/00"));

        BlockDevices quick = new BlockDevices(tmp.resolve("sys/devices"), dev, Duration.ofMillis(100));
        AgentException gone = assertThrows(AgentException.class, () -> quick.resolve("13/00"));
        assertTrue(gone.getMessage().contains("no block device at PCI path 13/00"), gone.getMessage());
        AgentException bad = assertThrows(AgentException.class, () -> quick.resolve("../../etc"));
        assertTrue(bad.getMessage().contains("neither a PCI path"), bad.getMessage());
    }
}
