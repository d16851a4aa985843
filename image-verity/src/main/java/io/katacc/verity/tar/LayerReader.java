package io.katacc.verity.tar;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Reads an OCI layer (tar, tar+gzip or tar+zstd, detected by magic bytes) and hands normalized entries
 * to a visitor. commons-compress handles ustar, PAX (incl. SCHILY.xattr.*), GNU long names/links and
 * sparse files; this class adds OCI whiteouts and the safety checks.
 */
public final class LayerReader {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private LayerReader() {
    }

    public static void read(InputStream raw, LayerVisitor visitor) throws IOException {
        PaxXattrSniffer in = new PaxXattrSniffer(decompress(new BufferedInputStream(raw, 1 << 16)));
        TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
        int count = 0;
        while (true) {
            TarArchiveEntry e;
            try {
                e = tar.getNextEntry();
            } catch (EOFException ex) {
                throw new LayerFormatException("truncated tar after " + count + " entries", ex);
            } catch (IOException | IllegalArgumentException ex) {
                throw new LayerFormatException("bad tar header after " + count + " entries: " + ex.getMessage(), ex);
            }
            if (e == null) {
                break;
            }
            count++;
            if (!e.isCheckSumOK()) {
                throw new LayerFormatException("tar header checksum error at entry " + count + " ("
                        + LayerPaths.shorten(e.getName()) + ")");
            }
            handle(e, tar, visitor, in.currentXattrs());
        }
    }

    private static InputStream decompress(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] m = in.readNBytes(4);
        in.reset();
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return new GzipCompressorInputStream(in, true);
        }
        if (m.length == 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f
                && (m[3] & 0xff) == 0xfd) {
            return new ZstdCompressorInputStream(in);
        }
        return in;
    }

    private static void handle(TarArchiveEntry e, TarArchiveInputStream tar, LayerVisitor visitor,
                               Map<String, byte[]> rawXattrs) throws IOException {
        String rawName = e.getName();
        String path = LayerPaths.normalize(rawName);
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash);
        String base = path.substring(slash + 1);
        if (base.equals(OPAQUE)) {
            visitor.opaque(dir);
            return;
        }
        if (path.isEmpty() && !e.isDirectory()) {
            throw new LayerFormatException("entry \"" + rawName + "\" names the layer root but is not a directory");
        }
        Instant mtime = lastModified(e);
        SortedMap<String, byte[]> xattrs = xattrs(e, rawXattrs);
        if (base.startsWith(WHITEOUT)) {
            String target = base.substring(WHITEOUT.length());
            if (target.isEmpty() || target.equals(".") || target.equals("..")) {
                throw new LayerFormatException("invalid whiteout name: " + rawName);
            }
            String wpath = dir.isEmpty() ? target : dir + "/" + target;
            visitor.entry(new LayerEntry(wpath, EntryKind.CHAR_DEVICE, 0, e.getLongUserId(), e.getLongGroupId(),
                    mtime.getEpochSecond(), mtime.getNano(), 0, null, 0, 0, new TreeMap<>()), InputStream.nullInputStream());
            return;
        }
        EntryKind kind;
        String link = null;
        long size = 0;
        if (e.isLink()) {
            kind = EntryKind.HARDLINK;
            link = LayerPaths.normalize(e.getLinkName());
            if (link.isEmpty()) {
                throw new LayerFormatException("hard link " + rawName + " points at the layer root");
            }
        } else if (e.isSymbolicLink()) {
            kind = EntryKind.SYMLINK;
            link = e.getLinkName();
            if (link.isEmpty() || link.length() > LayerPaths.MAX_PATH_BYTES) {
                throw new LayerFormatException("symlink " + rawName + " has an empty or over-long target");
            }
        } else if (e.isDirectory()) {
            kind = EntryKind.DIRECTORY;
        } else if (e.isCharacterDevice()) {
            kind = EntryKind.CHAR_DEVICE;
        } else if (e.isBlockDevice()) {
            kind = EntryKind.BLOCK_DEVICE;
        } else if (e.isFIFO()) {
            kind = EntryKind.FIFO;
        } else if (e.isFile()) {
            kind = EntryKind.FILE;
            size = e.getRealSize();
        } else {
            throw new LayerFormatException("unsupported tar entry type for " + rawName
                    + " (not a file, directory, link, device or fifo)");
        }
        if (e.getLongUserId() < 0 || e.getLongUserId() > 0xFFFFFFFFL || e.getLongGroupId() < 0
                || e.getLongGroupId() > 0xFFFFFFFFL) {
            throw new LayerFormatException("uid/gid out of range for " + rawName);
        }
        int mode = e.getMode() & 07777;
        LayerEntry entry = new LayerEntry(path, kind, mode, e.getLongUserId(), e.getLongGroupId(),
                mtime.getEpochSecond(), mtime.getNano(), size, link, e.getDevMajor(), e.getDevMinor(), xattrs);
        InputStream content = kind == EntryKind.FILE ? new ExactLengthStream(tar, size, (missing, cause) -> cause != null
                ? new LayerFormatException("truncated tar: reading data of " + rawName + ": " + cause.getMessage(), cause)
                : new LayerFormatException("truncated tar: data of " + rawName + " ends " + missing + " bytes early"))
                : InputStream.nullInputStream();
        visitor.entry(entry, content);
    }

    private static Instant lastModified(TarArchiveEntry e) {
        FileTime t = e.getLastModifiedTime();
        return t == null ? Instant.EPOCH : t.toInstant();
    }

    private static SortedMap<String, byte[]> xattrs(TarArchiveEntry e, Map<String, byte[]> raw)
            throws LayerFormatException {
        SortedMap<String, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, String> x : e.getExtraPaxHeaders().entrySet()) {
            String key = x.getKey();
            if (key.startsWith("SCHILY.xattr.")) {
                String name = key.substring("SCHILY.xattr.".length());
                // commons-compress decodes PAX values as UTF-8; prefer the raw bytes the sniffer kept
                byte[] value = raw != null && raw.containsKey(name) ? raw.get(name)
                        : x.getValue().getBytes(StandardCharsets.UTF_8);
                if (name.isEmpty() || value.length > 65535) {
                    throw new LayerFormatException("invalid xattr " + name + " (" + value.length + " bytes) on "
                            + e.getName());
                }
                out.put(name, value);
            }
        }
        return out;
    }
}
