package io.katacc.verity.snapshot;

import io.katacc.verity.tar.EntryKind;
import io.katacc.verity.tar.ExactLengthStream;
import io.katacc.verity.tar.LayerEntry;
import io.katacc.verity.tar.LayerFormatException;
import io.katacc.verity.tar.LayerVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads an unpacked layer directory in overlayfs' own format, as containerd's overlayfs snapshotter keeps
 * committed layers (whiteouts are char devices 0/0, opaque directories carry {@code trusted.overlay.opaque=y}),
 * and hands its entries to a {@link LayerVisitor} in the same normalized form {@code LayerReader} gives for a
 * tar: parents before children, names sorted, hard links to the first path seen.
 */
public final class SnapshotReader {
    private static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    private final Path root;
    private final LayerVisitor visitor;
    private final Map<String, String> firstPathOfInode = new HashMap<>();

    private SnapshotReader(Path root, LayerVisitor visitor) {
        this.root = root;
        this.visitor = visitor;
    }

    public static void read(Path dir, LayerVisitor visitor) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new LayerFormatException("layer directory " + dir + " is not a directory");
        }
        new SnapshotReader(dir, visitor).visit(dir, "");
    }

    private void visit(Path p, String rel) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,ino,dev,rdev,nlink,size,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int type = mode & S_IFMT;
        Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
        SortedMap<String, byte[]> xattrs = new TreeMap<>(type == S_IFLNK ? Map.of() : Xattrs.read(p));
        byte[] opaque = xattrs.remove(OPAQUE_XATTR);
        // overlayfs bookkeeping (origin, redirect, ...) describes the host's mount, not the layer
        xattrs.keySet().removeIf(k -> k.startsWith("trusted.overlay."));
        long rdev = (Long) a.get("rdev");
        EntryKind kind;
        String link = null;
        long size = 0;
        switch (type) {
            case S_IFDIR -> kind = EntryKind.DIRECTORY;
            case S_IFREG -> {
                kind = EntryKind.FILE;
                size = (Long) a.get("size");
            }
            case S_IFLNK -> {
                kind = EntryKind.SYMLINK;
                link = Files.readSymbolicLink(p).toString();
            }
            case S_IFCHR -> kind = EntryKind.CHAR_DEVICE;
            case S_IFBLK -> kind = EntryKind.BLOCK_DEVICE;
            case S_IFIFO -> kind = EntryKind.FIFO;
            case S_IFSOCK -> throw new LayerFormatException(p + " is a socket, which an image layer cannot hold");
            default -> throw new LayerFormatException(p + " has unknown file type " + Integer.toOctalString(type));
        }
        if (kind != EntryKind.DIRECTORY && (Integer) a.get("nlink") > 1) {
            String key = a.get("dev") + ":" + a.get("ino");
            String first = firstPathOfInode.putIfAbsent(key, rel);
            if (first != null) {
                kind = EntryKind.HARDLINK;
                link = first;
                size = 0;
            }
        }
        LayerEntry e = new LayerEntry(rel, kind, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"),
                mtime.getEpochSecond(), mtime.getNano(), size, link, major(rdev), minor(rdev), xattrs);
        if (kind == EntryKind.FILE) {
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                // the size stat gave: a file that changes under us is an error, not a silently short read
                visitor.entry(e, new ExactLengthStream(in, size, (missing, cause) -> cause != null
                        ? new LayerFormatException("reading " + p + ": " + cause.getMessage(), cause)
                        : new LayerFormatException(p + " shrank while being read (" + missing + " bytes missing)")));
            }
        } else {
            visitor.entry(e, InputStream.nullInputStream());
        }
        if (kind != EntryKind.DIRECTORY) {
            return;
        }
        if (opaque != null && opaque.length == 1 && opaque[0] == 'y') {
            visitor.opaque(rel);
        }
        List<Path> children;
        try (Stream<Path> s = Files.list(p)) {
            children = s.sorted((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString())).toList();
        }
        for (Path c : children) {
            String name = c.getFileName().toString();
            visit(c, rel.isEmpty() ? name : rel + "/" + name);
        }
    }

    /** Linux's huge_decode_dev for the 64-bit st_rdev. */
    static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    }

    static int minor(long rdev) {
        return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
    }
}
