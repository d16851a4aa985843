package io.katacc.verity.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katacc.verity.layer.LayerImage;
import io.katacc.verity.layer.LayerImageBuilder;
import io.katacc.verity.tar.LayerFormatException;
import io.katacc.verity.testing.Mount;
import io.katacc.verity.testing.Tools;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer directories in overlayfs format (containerd's overlayfs snapshots) to EROFS: the kernel mounts the
 * image, it equals the directory, and stacked under overlayfs the whiteouts and opaque markers act as in
 * the original layers.
 */
class SnapshotLayerTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void tools() throws Exception {
        Tools.assumeRootAndErofs();
        Tools.assumeTool("/usr/bin/fsck.erofs", "erofs-utils");
    }

    @Test
    void directoryBecomesAnImageTheKernelMountsWithTheSameContent() throws Exception {
        Path lower = lowerLayer(tmp.resolve("lower"));
        Path img = tmp.resolve("lower.img");
        LayerImage li = new LayerImageBuilder().buildFromDirectory(lower, img);
        fsck(img, li);
        try (Mount m = new Mount(img, tmp.resolve("lower.mnt"))) {
            Path d = m.dir();
            assertEquals("hello\n", Files.readString(d.resolve("etc/a")));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.resolve("bin/tool"))));
            assertEquals(1000, Files.getAttribute(d.resolve("bin/tool"), "unix:uid"));
            assertEquals(FileTime.fromMillis(1_600_000_000_000L), Files.getLastModifiedTime(d.resolve("bin/tool")));
            assertEquals(Path.of("../etc/a"), Files.readSymbolicLink(d.resolve("bin/link")));
            assertEquals(Files.getAttribute(d.resolve("bin/tool"), "unix:ino"),
                    Files.getAttribute(d.resolve("bin/hard"), "unix:ino"), "hard link shares the inode");
            assertEquals(2, Files.getAttribute(d.resolve("bin/tool"), "unix:nlink"));
            assertArrayEquals(big(), Files.readAllBytes(d.resolve("data/big")));
            assertEquals("v", new String(Xattrs.read(d.resolve("etc/b")).get("user.k"), StandardCharsets.UTF_8));
        }
        Path again = tmp.resolve("again.img");
        LayerImage li2 = new LayerImageBuilder(1).buildFromDirectory(lower, again);
        assertArrayEquals(Files.readAllBytes(img), Files.readAllBytes(again), "same directory, same bytes");
        assertArrayEquals(li.verity().rootHash(), li2.verity().rootHash());
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesWorkUnderOverlayfs() throws Exception {
        assumeTrue(Files.readString(Path.of("/proc/filesystems")).contains("overlay"), "kernel has no overlayfs");
        Path lower = lowerLayer(tmp.resolve("lower"));
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        mknodWhiteout(upper.resolve("etc/a"));
        Path dir = Files.createDirectories(upper.resolve("dir"));
        io.katacc.verity.testing.Xattrs.set(dir.toString(), "trusted.overlay.opaque", new byte[] {'y'});
        Files.writeString(dir.resolve("y"), "new\n");

        Path li = tmp.resolve("l.img");
        Path ui = tmp.resolve("u.img");
        new LayerImageBuilder().buildFromDirectory(lower, li);
        LayerImage u = new LayerImageBuilder().buildFromDirectory(upper, ui);
        fsck(ui, u);
        try (Mount lm = new Mount(li, tmp.resolve("l.mnt")); Mount um = new Mount(ui, tmp.resolve("u.mnt"))) {
            Path merged = Files.createDirectories(tmp.resolve("merged"));
            Tools.Result r = Tools.run(List.of("mount", "-t", "overlay", "overlay", "-o",
                    "lowerdir=" + um.dir() + ":" + lm.dir(), merged.toString()));
            assertEquals(0, r.exit(), "overlay mount: " + r.output());
            try {
                assertFalse(Files.exists(merged.resolve("etc/a"), LinkOption.NOFOLLOW_LINKS), "whited out");
                assertEquals("b\n", Files.readString(merged.resolve("etc/b")));
                assertFalse(Files.exists(merged.resolve("dir/x")), "hidden by the opaque directory");
                assertEquals("new\n", Files.readString(merged.resolve("dir/y")));
                assertTrue(Files.isRegularFile(merged.resolve("bin/tool")));
            } finally {
                Tools.run(List.of("umount", merged.toString()));
            }
        }
    }

    @Test
    void socketsAndMissingDirectoriesAreRefusedAndLeaveNoImage() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("withsock"));
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
            Path img = tmp.resolve("sock.img");
            LayerFormatException e = assertThrows(LayerFormatException.class,
                    () -> new LayerImageBuilder().buildFromDirectory(dir, img));
            assertTrue(e.getMessage().contains("s.sock is a socket"), e.getMessage());
            assertFalse(Files.exists(img), "no half-written image");
        }
        LayerFormatException e = assertThrows(LayerFormatException.class,
                () -> new LayerImageBuilder().buildFromDirectory(tmp.resolve("nope"), tmp.resolve("n.img")));
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }

    @Test
    void rdevDecodesLinuxHugeEncoding() {
        // glibc makedev(0x1234, 0xabcde): major bits 0-11 at 8, the rest at 32; minor bits 0-7 at 0, the rest at 12
        long rdev = (0x234L << 8) | (0x1000L << 32) | 0xdeL | (0xabc00L << 12);
        assertEquals(0x1234, SnapshotReader.major(rdev));
        assertEquals(0xabcde, SnapshotReader.minor(rdev));
        assertEquals(1, SnapshotReader.major(259L));
        assertEquals(3, SnapshotReader.minor(259L));
    }

    private static Path lowerLayer(Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/a"), "hello\n");
        Files.writeString(root.resolve("etc/b"), "b\n");
        io.katacc.verity.testing.Xattrs.set(root.resolve("etc/b").toString(), "user.k", "v".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(root.resolve("dir"));
        Files.writeString(root.resolve("dir/x"), "x\n");
        Files.createDirectories(root.resolve("bin"));
        Path tool = Files.writeString(root.resolve("bin/tool"), "#!/bin/sh\necho tool\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(tool, "unix:uid", 1000);
        Files.setLastModifiedTime(tool, FileTime.fromMillis(1_600_000_000_000L));
        Files.createLink(root.resolve("bin/hard"), tool);
        Files.createSymbolicLink(root.resolve("bin/link"), Path.of("../etc/a"));
        Files.createDirectories(root.resolve("data"));
        Files.write(root.resolve("data/big"), big());
        return root;
    }

    private static byte[] big() {
        byte[] b = new byte[3 * 4096 + 123];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static void mknodWhiteout(Path p) throws Exception {
        Tools.Result r = Tools.run(List.of("mknod", p.toString(), "c", "0", "0"));
        assertEquals(0, r.exit(), r.output());
    }

    private void fsck(Path img, LayerImage li) throws Exception {
        Path erofsOnly = tmp.resolve(img.getFileName() + ".erofs");
        try (var in = Files.newInputStream(img); var out = Files.newOutputStream(erofsOnly)) {
            out.write(in.readNBytes((int) li.verity().dataBytes()));
        }
        Tools.Result fsck = Tools.run(List.of("fsck.erofs", erofsOnly.toString()));
        assertEquals(0, fsck.exit(), "fsck.erofs: " + fsck.output());
    }
}
