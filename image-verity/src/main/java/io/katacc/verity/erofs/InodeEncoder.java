package io.katacc.verity.erofs;

import java.nio.ByteBuffer;
import java.util.Map;

/** Encodes one inode (compact or extended), its xattr body and its inline tail at a byte offset. */
final class InodeEncoder {
    private final Node n;
    private final long buildTime;
    private final int buildNanos;
    private final Map<Xattr, Integer> sharedIds;

    InodeEncoder(Node n, long buildTime, int buildNanos, Map<Xattr, Integer> sharedIds) {
        this.n = n;
        this.buildTime = buildTime;
        this.buildNanos = buildNanos;
        this.sharedIds = sharedIds;
    }

    void encode(ByteBuffer b, int at) {
        boolean extended = n.inodeSize == ErofsLayout.EXTENDED_INODE;
        boolean hasData = n.typeBits == ErofsLayout.S_IFREG || n.isDir() || n.typeBits == ErofsLayout.S_IFLNK;
        int layout = hasData && n.tail != null ? ErofsLayout.LAYOUT_FLAT_INLINE : ErofsLayout.LAYOUT_FLAT_PLAIN;
        int format = (extended ? 1 : 0) | (layout << 1);
        int xattrCount = n.xattrSize == 0 ? 0 : (n.xattrSize - ErofsLayout.XATTR_IBODY_HEADER) / 4 + 1;
        int mode = n.typeBits | n.perm;
        int iu;
        if (n.typeBits == ErofsLayout.S_IFCHR || n.typeBits == ErofsLayout.S_IFBLK) {
            iu = n.rdev;
        } else if (hasData) {
            iu = (int) n.firstBlock;
        } else {
            iu = 0;
        }
        b.position(at);
        b.putShort((short) format).putShort((short) xattrCount).putShort((short) mode);
        if (extended) {
            b.putShort((short) 0);
            b.putLong(n.size);
            b.putInt(iu).putInt(n.ino);
            b.putInt((int) n.uid).putInt((int) n.gid);
            b.putLong(n.mtime).putInt(n.mtimeNanos);
            b.putInt(n.links);
            b.position(at + ErofsLayout.EXTENDED_INODE);
        } else {
            b.putShort((short) n.links);
            b.putInt((int) n.size);
            b.putInt(0);
            b.putInt(iu).putInt(n.ino);
            b.putShort((short) n.uid).putShort((short) n.gid);
            b.putInt(0);
        }
        if (n.xattrSize > 0) {
            b.putInt(0); // name filter unused (feature not set)
            b.put((byte) n.shared.size());
            b.position(b.position() + 7);
            for (Xattr x : n.shared) {
                b.putInt(sharedIds.get(x));
            }
            for (Xattr x : n.inline) {
                x.writeTo(b);
            }
        }
        if (layout == ErofsLayout.LAYOUT_FLAT_INLINE) {
            b.put(n.tail);
        }
    }
}
