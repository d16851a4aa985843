package io.katacc.verity.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.verity.layer.LayerImageBuilder;
import io.katacc.verity.tar.LayerFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed or hostile layers: a clear error and nothing left in the cache. */
class BadLayerTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path tmp;

    private record E(String name, byte type, String link, int size) {
    }

    private static byte[] tar(List<E> entries) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bos)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            for (E e : entries) {
                TarArchiveEntry te = new TarArchiveEntry(e.name(), e.type(), true);
                if (e.link() != null) {
                    te.setLinkName(e.link());
                }
                te.setSize(e.size());
                t.putArchiveEntry(te);
                t.write(new byte[e.size()]);
                t.closeArchiveEntry();
            }
        }
        return bos.toByteArray();
    }

    private String rejected(byte[] layer) throws Exception {
        Path root = tmp.resolve("cache");
        LayerCache cache = new LayerCache(root, new LayerImageBuilder(1));
        LayerFormatException e = assertThrows(LayerFormatException.class,
                () -> cache.getOrBuild(DIGEST, () -> new ByteArrayInputStream(layer)));
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(List.of(), s.toList(), "a failed build must leave nothing in the cache");
        }
        assertTrue(cache.lookup(DIGEST).isEmpty());
        return e.getMessage();
    }

    private static final E FILE = new E("ok.txt", TarConstants.LF_NORMAL, null, 10000);

    @Test
    void truncatedTar() throws Exception {
        byte[] good = tar(List.of(FILE, new E("b", TarConstants.LF_NORMAL, null, 10)));
        assertTrue(rejected(Arrays.copyOf(good, 3000)).contains("truncated"));
    }

    @Test
    void headerChecksumError() throws Exception {
        byte[] bad = tar(List.of(new E("a", TarConstants.LF_NORMAL, null, 10), FILE));
        bad[1024 + 2] = 'X'; // name of the second header, checksum no longer matches
        String msg = rejected(bad);
        assertTrue(msg.contains("checksum") || msg.contains("Corrupted"), msg);
    }

    @Test
    void pathTraversal() throws Exception {
        assertTrue(rejected(tar(List.of(new E("a/../../etc/passwd", TarConstants.LF_NORMAL, null, 1))))
                .contains("path traversal"));
    }

    @Test
    void absolutePath() throws Exception {
        assertTrue(rejected(tar(List.of(new E("/etc/passwd", TarConstants.LF_NORMAL, null, 1))))
                .contains("absolute path"));
    }

    @Test
    void writingThroughASymlink() throws Exception {
        String msg = rejected(tar(List.of(new E("etc", TarConstants.LF_SYMLINK, "/etc", 0),
                new E("etc/shadow", TarConstants.LF_NORMAL, null, 1))));
        assertTrue(msg.contains("goes through symlink etc"), msg);
    }

    @Test
    void symlinkLoop() throws Exception {
        String msg = rejected(tar(List.of(new E("x", TarConstants.LF_SYMLINK, "y", 0),
                new E("y", TarConstants.LF_SYMLINK, "x", 0), new E("x/f", TarConstants.LF_NORMAL, null, 1))));
        assertTrue(msg.contains("symlink"), msg);
    }

    @Test
    void oversizedNames() throws Exception {
        assertTrue(rejected(tar(List.of(new E("n".repeat(300), TarConstants.LF_NORMAL, null, 1))))
                .contains("longer than 255"));
        String longPath = ("d".repeat(200) + "/").repeat(25) + "f";
        assertTrue(rejected(tar(List.of(new E(longPath, TarConstants.LF_NORMAL, null, 1))))
                .contains("longer than 4095"));
    }

    @Test
    void hardLinkToDirectory() throws Exception {
        assertTrue(rejected(tar(List.of(new E("d", TarConstants.LF_DIR, null, 0),
                new E("h", TarConstants.LF_LINK, "d", 0)))).contains("target is a directory"));
    }

    @Test
    void oversizedPaxHeader() throws Exception {
        byte[] h = new byte[512];
        byte[] name = "PaxHeaders/x".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, h, 0, name.length);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, "77777777777"); // 8 GiB of PAX records
        put(h, 136, "00000000000");
        h[156] = 'x';
        put(h, 257, "ustar");
        h[263] = '0';
        h[264] = '0';
        Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        byte[] layer = Arrays.copyOf(h, 512 + 4096);
        byte[] rec = "30 path=aaaaaaaaaaaaaaaaaaa\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(rec, 0, layer, 512, rec.length);
        String msg = rejected(layer);
        assertTrue(msg.contains("tar"), msg);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    @Test
    void hardLinkToNothing() throws Exception {
        assertTrue(rejected(tar(List.of(new E("h", TarConstants.LF_LINK, "missing", 0))))
                .contains("does not exist"));
    }

    @Test
    void garbageIsNotATar() throws Exception {
        byte[] junk = "this is not a tar archive at all, just text".repeat(30).getBytes(StandardCharsets.UTF_8);
        rejected(junk);
    }
}
