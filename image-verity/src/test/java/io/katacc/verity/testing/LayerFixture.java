package io.katacc.verity.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a layer tar entry by entry and remembers what the extracted tree must look like, then compares
 * a mounted image against that expectation.
 */
public final class LayerFixture implements AutoCloseable {
    /** What one path must be after extraction. */
    public record Expect(char type, int mode, long uid, long gid, long size, long seed, String link,
                         int major, int minor, TreeMap<String, String> xattrs, String hardlinkGroup) {
    }

    private final TarArchiveOutputStream tar;
    private final Map<String, Expect> expected = new TreeMap<>();
    private long mtime = 1_700_000_000L;

    public LayerFixture(OutputStream out) {
        tar = new TarArchiveOutputStream(out, 10240, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    public Map<String, Expect> expected() {
        return expected;
    }

    private TarArchiveEntry entry(String name, byte type, int mode, long uid, long gid, Map<String, String> xattrs) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setLastModifiedTime(FileTime.from(Instant.ofEpochSecond(mtime++ % 3 == 0 ? 1_700_000_000L : mtime)));
        xattrs.forEach((k, v) -> e.addPaxHeader("SCHILY.xattr." + k, v));
        return e;
    }

    public void dir(String path, int mode, long uid, long gid, Map<String, String> xattrs) throws IOException {
        tar.putArchiveEntry(entry(path + "/", TarConstants.LF_DIR, mode, uid, gid, xattrs));
        tar.closeArchiveEntry();
        Expect old = expected.get(path);
        TreeMap<String, String> x = new TreeMap<>(xattrs);
        if (old != null && old.type() == 'd' && old.xattrs().containsKey("trusted.overlay.opaque")) {
            x.put("trusted.overlay.opaque", "y"); // a repeated directory header keeps the opaque marker
        }
        expected.put(path, new Expect('d', mode, uid, gid, 0, 0, null, 0, 0, x, null));
    }

    public void file(String path, long size, long seed, int mode, long uid, long gid, Map<String, String> xattrs)
            throws IOException {
        TarArchiveEntry e = entry(path, TarConstants.LF_NORMAL, mode, uid, gid, xattrs);
        e.setSize(size);
        tar.putArchiveEntry(e);
        try (InputStream in = content(seed, size)) {
            in.transferTo(tar);
        }
        tar.closeArchiveEntry();
        expected.put(path, new Expect('f', mode, uid, gid, size, seed, null, 0, 0, new TreeMap<>(xattrs), null));
    }

    public void symlink(String path, String target) throws IOException {
        TarArchiveEntry e = entry(path, TarConstants.LF_SYMLINK, 0777, 0, 0, Map.of());
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        expected.put(path, new Expect('l', 0777, 0, 0, target.getBytes(StandardCharsets.UTF_8).length, 0, target,
                0, 0, new TreeMap<>(), null));
    }

    public void hardlink(String path, String target) throws IOException {
        TarArchiveEntry e = entry(path, TarConstants.LF_LINK, 0, 0, 0, Map.of());
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        Expect t = expected.get(target);
        Expect linked = new Expect(t.type(), t.mode(), t.uid(), t.gid(), t.size(), t.seed(), t.link(), t.major(),
                t.minor(), t.xattrs(), target);
        expected.put(target, linked);
        expected.put(path, linked);
    }

    public void device(String path, char type, int major, int minor, int mode) throws IOException {
        TarArchiveEntry e = entry(path, type == 'c' ? TarConstants.LF_CHR : type == 'b' ? TarConstants.LF_BLK
                : TarConstants.LF_FIFO, mode, 0, 0, Map.of());
        if (type != 'p') {
            e.setDevMajor(major);
            e.setDevMinor(minor);
        }
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        expected.put(path, new Expect(type, mode, 0, 0, 0, 0, null, major, minor, new TreeMap<>(), null));
    }

    /** OCI whiteout for path: appears as a 0/0 character device. */
    public void whiteout(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        String name = slash < 0 ? ".wh." + path : path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, 0644, 0, 0, Map.of());
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        expected.put(path, new Expect('c', 0, 0, 0, 0, 0, null, 0, 0, new TreeMap<>(), null));
    }

    public void opaque(String dir) throws IOException {
        TarArchiveEntry e = entry(dir + "/.wh..wh..opq", TarConstants.LF_NORMAL, 0644, 0, 0, Map.of());
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        Expect d = expected.get(dir);
        d.xattrs().put("trusted.overlay.opaque", "y");
    }

    @Override
    public void close() throws IOException {
        tar.finish();
        tar.close();
    }

    /** Deterministic pseudo-random bytes. */
    public static InputStream content(long seed, long size) {
        return new InputStream() {
            long left = size;
            long x = seed * 0x9E3779B97F4A7C15L + 1;

            @Override
            public int read() {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                    b[off + i] = (byte) x;
                }
                left -= n;
                return n;
            }
        };
    }

    /** Asserts the mounted tree holds exactly the expected entries with the expected attributes and data. */
    public void assertMatches(Path root) throws IOException {
        Map<String, Long> inodeOfGroup = new HashMap<>();
        int seen = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.skip(1)::iterator) {
                String rel = root.relativize(p).toString();
                Expect e = expected.get(rel);
                assertTrue(e != null, "unexpected entry in image: " + rel);
                seen++;
                Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                char type = switch (mode & 0170000) {
                    case 0040000 -> 'd';
                    case 0100000 -> 'f';
                    case 0120000 -> 'l';
                    case 0020000 -> 'c';
                    case 0060000 -> 'b';
                    case 0010000 -> 'p';
                    default -> '?';
                };
                assertEquals(e.type(), type, "type of " + rel);
                if (e.type() != 'l') {
                    assertEquals(Integer.toOctalString(e.mode()), Integer.toOctalString(mode & 07777), "mode of " + rel);
                }
                assertEquals(e.uid(), ((Number) a.get("uid")).longValue(), "uid of " + rel);
                assertEquals(e.gid(), ((Number) a.get("gid")).longValue(), "gid of " + rel);
                if (e.type() == 'f') {
                    assertEquals(e.size(), Files.size(p), "size of " + rel);
                    try (InputStream got = Files.newInputStream(p); InputStream want = content(e.seed(), e.size())) {
                        byte[] g = new byte[1 << 16];
                        byte[] w = new byte[1 << 16];
                        long off = 0;
                        while (true) {
                            int n = want.readNBytes(w, 0, w.length);
                            int m = got.readNBytes(g, 0, g.length);
                            assertEquals(n, m, "length of " + rel + " at " + off);
                            if (n == 0) {
                                break;
                            }
                            assertArrayEquals(java.util.Arrays.copyOf(w, n), java.util.Arrays.copyOf(g, m),
                                    "content of " + rel + " near byte " + off);
                            off += n;
                        }
                    }
                }
                if (e.type() == 'l') {
                    assertEquals(e.link(), Files.readSymbolicLink(p).toString(), "target of " + rel);
                }
                if (e.type() == 'c' || e.type() == 'b') {
                    long rdev = ((Number) a.get("rdev")).longValue();
                    int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
                    int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
                    assertEquals(e.major() + ":" + e.minor(), major + ":" + minor, "device numbers of " + rel);
                }
                assertEquals(e.xattrs(), Xattrs.read(p.toString()), "xattrs of " + rel);
                if (e.hardlinkGroup() != null) {
                    long ino = ((Number) a.get("ino")).longValue();
                    Long prev = inodeOfGroup.putIfAbsent(e.hardlinkGroup(), ino);
                    assertEquals(prev == null ? ino : prev, ino, "hard link identity of " + rel);
                }
            }
        }
        assertEquals(expected.size(), seen, "entries in image vs tar");
    }
}
