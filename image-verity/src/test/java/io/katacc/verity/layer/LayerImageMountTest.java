package io.katacc.verity.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.katacc.verity.testing.LayerFixture;
import io.katacc.verity.testing.Mount;
import io.katacc.verity.testing.Tools;
import io.katacc.verity.testing.Xattrs;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers built by us, mounted by the kernel's EROFS driver and checked by fsck.erofs. */
class LayerImageMountTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void tools() throws Exception {
        Tools.assumeRootAndErofs();
        Tools.assumeTool("/usr/bin/fsck.erofs", "erofs-utils");
    }

    private interface Content {
        void write(LayerFixture f) throws Exception;
    }

    private LayerFixture buildAndCheck(String name, boolean gzip, Content c) throws Exception {
        Path tar = tmp.resolve(name + (gzip ? ".tar.gz" : ".tar"));
        LayerFixture f;
        try (OutputStream raw = Files.newOutputStream(tar);
             OutputStream out = gzip ? new GZIPOutputStream(raw) : raw) {
            f = new LayerFixture(out);
            c.write(f);
            f.close();
        }
        Path img = tmp.resolve(name + ".img");
        LayerImage li = new LayerImageBuilder().build(tar, img);
        Path erofsOnly = tmp.resolve(name + ".erofs");
        try (var in = Files.newInputStream(img); var out = Files.newOutputStream(erofsOnly)) {
            out.write(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, li.verity().dataBytes())));
        }
        Tools.Result fsck = Tools.run(List.of("fsck.erofs", erofsOnly.toString()));
        assertEquals(0, fsck.exit(), "fsck.erofs: " + fsck.output());
        try (Mount m = new Mount(img, tmp.resolve(name + ".mnt"))) {
            f.assertMatches(m.dir());
        }
        Path again = tmp.resolve(name + ".again.img");
        new LayerImageBuilder(1).build(tar, again);
        assertArrayEquals(Files.readAllBytes(img), Files.readAllBytes(again), "same tar must give the same bytes");
        Files.delete(again);
        return f;
    }

    @Test
    void everyEntryKind() throws Exception {
        buildAndCheck("kinds", false, f -> {
            f.dir("etc", 0755, 0, 0, Map.of());
            f.file("etc/hostname", 6, 1, 0644, 0, 0, Map.of());
            f.file("etc/empty", 0, 2, 0600, 1000, 1000, Map.of());
            f.file("etc/block", 8192, 3, 0640, 0, 0, Map.of());
            f.file("etc/setuid", 5000, 4, 04755, 0, 0, Map.of("security.selinux", "system_u:object_r:bin_t:s0"));
            f.dir("tmp", 01777, 0, 0, Map.of());
            f.file("etc/bigid", 100, 5, 02711, 200000, 300000, Map.of("user.a", "1", "trusted.b", "two"));
            f.symlink("etc/link", "hostname");
            f.symlink("etc/abs", "/usr/bin/../lib/x");
            f.hardlink("etc/hostname2", "etc/hostname");
            f.hardlink("etc/hostname3", "etc/hostname");
            f.device("dev-null", 'c', 1, 3, 0666);
            f.device("sda", 'b', 8, 0, 0660);
            f.device("bigminor", 'c', 4095, 1048575, 0600);
            f.device("pipe", 'p', 0, 0, 0644);
            f.dir("ünïcødé 目录", 0700, 0, 0, Map.of("user.shared", "v"));
            f.file("ünïcødé 目录/файл.txt", 33, 6, 0644, 0, 0, Map.of("user.shared", "v"));
            f.dir("opq", 0755, 0, 0, Map.of());
            f.opaque("opq");
            f.dir("opq2", 0755, 0, 0, Map.of());
            f.opaque("opq2");
            f.dir("opq2", 0700, 5, 5, Map.of("user.k", "v"));
            f.whiteout("gone");
            f.whiteout("opq/removed");
            String deep = "d";
            f.dir(deep, 0755, 0, 0, Map.of());
            for (int i = 0; i < 40; i++) {
                deep = deep + "/level-" + i + "-" + "x".repeat(60);
                f.dir(deep, 0755, 0, 0, Map.of());
            }
            f.file(deep + "/leaf", 4097, 7, 0644, 0, 0, Map.of());
            f.file("z" + "n".repeat(250), 1, 8, 0644, 0, 0, Map.of());
            f.dir("!sorted", 0755, 0, 0, Map.of());
            f.file("!sorted/-", 1, 9, 0644, 0, 0, Map.of());
        });
    }

    @Test
    void manyFilesInOneDirectoryAndGzip() throws Exception {
        buildAndCheck("many", true, f -> {
            f.dir("many", 0755, 0, 0, Map.of());
            for (int i = 0; i < 3000; i++) {
                f.file("many/f" + Integer.toString(i * 7919, 36), i % 5000, i, 0644, i % 3, 0, Map.of());
            }
        });
    }

    @Test
    void largeXattrsStillFit() throws Exception {
        buildAndCheck("xattr", false, f -> {
            f.dir("x", 0755, 0, 0, Map.of("user.big", "v".repeat(3000)));
            f.file("x/tail", 3000, 1, 0644, 0, 0, Map.of("user.big2", "w".repeat(2000)));
            f.symlink("x/long-link", "t".repeat(4000));
        });
    }

    @Test
    void sparseFilesAndMtimesFromGnuTar() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("sparse-src"));
        Path sparse = src.resolve("holes");
        try (var f = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(3 << 20);
            f.seek(1 << 20);
            f.write("middle".getBytes());
            f.seek((3 << 20) - 3);
            f.write("end".getBytes());
        }
        Files.writeString(src.resolve("old"), "x");
        Files.setLastModifiedTime(src.resolve("old"), java.nio.file.attribute.FileTime.fromMillis(86_400_000L * 365));
        for (String format : List.of("gnu", "posix")) {
            Path tar = tmp.resolve("sparse-" + format + ".tar");
            Tools.Result t = Tools.run(List.of("tar", "--sparse", "--format=" + format, "-C", src.toString(),
                    "-cf", tar.toString(), "."));
            assertEquals(0, t.exit(), t.output());
            Path img = tmp.resolve("sparse-" + format + ".img");
            new LayerImageBuilder().build(tar, img);
            try (Mount m = new Mount(img, tmp.resolve("sparse-" + format + ".mnt"))) {
                assertEquals(-1L, Files.mismatch(sparse, m.dir().resolve("holes")), format + " sparse content");
                assertEquals(Files.getLastModifiedTime(src.resolve("old")),
                        Files.getLastModifiedTime(m.dir().resolve("old")), "mtime");
                assertEquals(Files.getLastModifiedTime(sparse).toMillis() / 1000,
                        Files.getLastModifiedTime(m.dir().resolve("holes")).toMillis() / 1000, "mtime");
            }
        }
    }

    @Test
    void binaryXattrValuesFromGnuTarSurviveExactly() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("bin-src"));
        byte[] a = {(byte) 0xff, 0, (byte) 0x80, 1, (byte) 0xc3};
        byte[] b = {0, 0, 0, 2, (byte) 0xfe, (byte) 0xed};
        for (int i = 0; i < 3; i++) {
            Path f = src.resolve("f" + i);
            Files.writeString(f, "data" + i);
            Xattrs.set(f.toString(), "user.bin", i == 1 ? b : a);
            Xattrs.set(f.toString(), "trusted.t" + i, b);
        }
        Path tar = tmp.resolve("bin.tar");
        Tools.Result t = Tools.run(List.of("tar", "--xattrs", "--xattrs-include=*", "--format=posix", "-C",
                src.toString(), "-cf", tar.toString(), "."));
        assertEquals(0, t.exit(), t.output());
        Path img = tmp.resolve("bin.img");
        new LayerImageBuilder().build(tar, img);
        try (Mount m = new Mount(img, tmp.resolve("bin.mnt"))) {
            for (int i = 0; i < 3; i++) {
                String p = m.dir().resolve("f" + i).toString();
                assertArrayEquals(i == 1 ? b : a, Xattrs.get(p, "user.bin"), "user.bin of f" + i);
                assertArrayEquals(b, Xattrs.get(p, "trusted.t" + i), "trusted.t of f" + i);
            }
        }
    }

    @Test
    void tenThousandFilesAndA200MiBFile() throws Exception {
        buildAndCheck("slow", false, f -> {
            for (int d = 0; d < 100; d++) {
                f.dir("d" + d, 0755, 0, 0, Map.of());
                for (int i = 0; i < 100; i++) {
                    f.file("d" + d + "/f" + i, (d * 100 + i) % 9000, d * 100 + i, 0644, 0, 0, Map.of());
                }
            }
            f.file("huge", 200L << 20, 42, 0644, 0, 0, Map.of());
        });
    }
}
