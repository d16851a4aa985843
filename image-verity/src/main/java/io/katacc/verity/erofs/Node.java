package io.katacc.verity.erofs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/** An inode being built. Mutable only while the layer is read; laid out once at the end. */
final class Node {
    /** EROFS looks names up by binary search over unsigned bytes (strcmp order). */
    static final Comparator<String> NAME_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    int typeBits;
    int perm;
    long uid;
    long gid;
    long mtime;
    int mtimeNanos;
    int links;
    TreeSet<Xattr> xattrs = new TreeSet<>();
    final TreeMap<String, Node> children;

    // regular file data: full blocks at firstBlock, and a tail kept for inlining (or null)
    long size;
    long firstBlock;
    long dataBlocks;
    byte[] tail;
    int rdev;

    // layout results
    long nid = -1;
    int ino;
    int inodeSize;
    int xattrSize;
    List<Xattr> shared = List.of();
    List<Xattr> inline = List.of();
    List<byte[]> dirBlocks;

    Node(int typeBits) {
        this.typeBits = typeBits;
        this.children = typeBits == ErofsLayout.S_IFDIR ? new TreeMap<>(NAME_ORDER) : null;
    }

    boolean isDir() {
        return typeBits == ErofsLayout.S_IFDIR;
    }

    int fileType() {
        return switch (typeBits) {
            case ErofsLayout.S_IFREG -> ErofsLayout.FT_REG;
            case ErofsLayout.S_IFDIR -> ErofsLayout.FT_DIR;
            case ErofsLayout.S_IFCHR -> ErofsLayout.FT_CHR;
            case ErofsLayout.S_IFBLK -> ErofsLayout.FT_BLK;
            case ErofsLayout.S_IFIFO -> ErofsLayout.FT_FIFO;
            case ErofsLayout.S_IFLNK -> ErofsLayout.FT_SYMLINK;
            default -> 0;
        };
    }

    int inlineLength() {
        return tail == null ? 0 : tail.length;
    }
}
