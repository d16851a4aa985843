package io.katacc.verity.dm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katacc.verity.hashtree.VerityParams;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.katacc.verity.layer.LayerImage;
import io.katacc.verity.layer.LayerImageBuilder;
import io.katacc.verity.testing.LayerFixture;
import io.katacc.verity.testing.Tools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class DeviceMapperTest {
    private static final VerityParams P = new VerityParams("sha256", 4096, 4096, 13, 53248, new byte[] {0x0a, 0x0b},
            new byte[32]);

    @Test
    void ioctlNumbersMatchLinuxDmIoctlH() {
        // _IOWR(0xfd, nr, struct dm_ioctl) with sizeof(struct dm_ioctl) == 312
        assertEquals(0xC138FD03L, DmIoctl.requestCode(DmIoctl.CMD_DEV_CREATE));
        assertEquals(0xC138FD04L, DmIoctl.requestCode(DmIoctl.CMD_DEV_REMOVE));
        assertEquals(0xC138FD06L, DmIoctl.requestCode(DmIoctl.CMD_DEV_SUSPEND));
        assertEquals(0xC138FD09L, DmIoctl.requestCode(DmIoctl.CMD_TABLE_LOAD));
    }

    @Test
    void tableLoadRequestLayout() {
        byte[] spec = DmIoctl.targetSpec(0, P.dataBytes() / 512, "verity", P.tableParams("/dev/vdb", "/dev/vdb"));
        ByteBuffer b = DmIoctl.request("layer0", DmIoctl.FLAG_READONLY, spec, 1, 16384);
        assertEquals(4, b.getInt(0));
        assertEquals(16384, b.getInt(12));
        assertEquals(312, b.getInt(16));
        assertEquals(1, b.getInt(20));
        assertEquals(DmIoctl.FLAG_READONLY, b.getInt(28));
        assertEquals('l', b.get(48));
        assertEquals(104, b.getLong(312 + 8), "length in 512-byte sectors");
        byte[] type = new byte[6];
        b.get(312 + 24, type);
        assertEquals("verity", new String(type, StandardCharsets.US_ASCII));
        byte[] params = new byte[spec.length - 40];
        b.get(312 + 40, params);
        assertEquals("1 /dev/vdb /dev/vdb 4096 4096 13 14 sha256 " + "00".repeat(32) + " 0a0b",
                new String(params, StandardCharsets.US_ASCII).replace("\0", ""));
    }

    @Test
    void rejectsBadNamesAndOverlappingHashArea() {
        assertThrows(IllegalArgumentException.class, () -> DmIoctl.request("a/b", 0, new byte[0], 0, 0));
        VerityParams overlapping = new VerityParams("sha256", 4096, 4096, 13, 4096, new byte[0], new byte[32]);
        assertThrows(IllegalArgumentException.class,
                () -> new DeviceMapper().openVerity("x", "/dev/null", overlapping));
    }

    @Test
    void opensAVerityDeviceWhereDeviceMapperExists(@TempDir Path tmp) throws Exception {
        String why = DeviceMapper.unavailableReason();
        assumeTrue(why == null, "skipped: " + why + " (runs where device-mapper exists, e.g. the guest VM)");
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (LayerFixture f = new LayerFixture(bos)) {
            f.file("hello", 5000, 3, 0644, 0, 0, Map.of());
        }
        Path img = tmp.resolve("l.img");
        LayerImage li = new LayerImageBuilder().build(new ByteArrayInputStream(bos.toByteArray()), img, null);
        Tools.Result loop = Tools.run(List.of("losetup", "--find", "--show", "--read-only", img.toString()));
        assertEquals(0, loop.exit(), loop.output());
        String dev = loop.output().trim();
        DeviceMapper dm = new DeviceMapper();
        String name = "kcc-test-" + li.verity().rootHashHex().substring(0, 12);
        try {
            VerityDevice v = dm.openVerity(name, dev, li.verity());
            Path mnt = Files.createDirectories(tmp.resolve("mnt"));
            assertEquals(0, Tools.run(List.of("mount", "-t", "erofs", "-o", "ro", v.path(), mnt.toString())).exit());
            try {
                assertEquals(5000, Files.size(mnt.resolve("hello")));
            } finally {
                Tools.run(List.of("umount", mnt.toString()));
            }
        } finally {
            dm.remove(name);
            Tools.run(List.of("losetup", "-d", dev));
        }
    }
}
