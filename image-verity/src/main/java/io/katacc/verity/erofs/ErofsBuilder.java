package io.katacc.verity.erofs;

import io.katacc.verity.tar.EntryKind;
import io.katacc.verity.tar.LayerEntry;
import io.katacc.verity.tar.LayerFormatException;
import io.katacc.verity.tar.LayerVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Builds an uncompressed EROFS image from layer entries in one pass over the tar. File data is streamed to
 * blocks 1.. as it arrives; directories, shared xattrs and the inode table follow at the end
 * ({@link MetadataWriter}). Same entries in the same order give the same bytes.
 */
public final class ErofsBuilder implements LayerVisitor {
    private static final int COPY_BLOCKS = 256;
    private static final Xattr OPAQUE = new Xattr(XattrName.of("trusted.overlay.opaque"), new byte[] {'y'});

    private final FileChannel out;
    private final Node root = new Node(ErofsLayout.S_IFDIR);
    private long nextBlock = 1;
    private final byte[] buf = new byte[COPY_BLOCKS * ErofsLayout.BLOCK_SIZE];

    public ErofsBuilder(FileChannel out) {
        this.out = out;
        root.perm = 0755;
    }

    @Override
    public void entry(LayerEntry e, InputStream content) throws IOException {
        if (e.path().isEmpty()) {
            applyMeta(root, e);
            return;
        }
        int slash = e.path().lastIndexOf('/');
        Node parent = directory(slash < 0 ? "" : e.path().substring(0, slash), e.path());
        String name = e.path().substring(slash + 1);
        Node existing = parent.children.get(name);
        if (e.kind() == EntryKind.HARDLINK) {
            Node target = lookup(e.linkTarget(), e.path());
            if (target == null) {
                throw new LayerFormatException("hard link " + e.path() + " -> " + e.linkTarget()
                        + ": target does not exist earlier in the layer");
            }
            if (target.isDir()) {
                throw new LayerFormatException("hard link " + e.path() + " -> " + e.linkTarget()
                        + ": target is a directory");
            }
            if (target != existing) {
                parent.children.put(name, target);
            }
            return;
        }
        if (e.kind() == EntryKind.DIRECTORY && existing != null && existing.isDir()) {
            // a later header for the same directory updates its metadata but keeps an opaque marker
            var opaque = existing.xattrs.stream().filter(x -> x.name().equals(OPAQUE.name())).toList();
            applyMeta(existing, e);
            existing.xattrs.addAll(opaque);
            return;
        }
        Node n = new Node(typeBits(e.kind()));
        applyMeta(n, e);
        switch (e.kind()) {
            case FILE -> writeData(n, e, content);
            case SYMLINK -> {
                n.tail = e.linkTarget().getBytes(StandardCharsets.UTF_8);
                n.size = n.tail.length;
            }
            case CHAR_DEVICE, BLOCK_DEVICE -> {
                if (e.devMajor() < 0 || e.devMajor() > 0xFFF || e.devMinor() < 0 || e.devMinor() > 0xFFFFF) {
                    throw new LayerFormatException("device " + e.path() + " " + e.devMajor() + ":" + e.devMinor()
                            + " does not fit EROFS's 12-bit major / 20-bit minor");
                }
                n.rdev = encodeDev(e.devMajor(), e.devMinor());
            }
            default -> {
            }
        }
        parent.children.put(name, n);
    }

    @Override
    public void opaque(String dirPath) throws IOException {
        Node dir = directory(dirPath, dirPath + "/.wh..wh..opq");
        dir.xattrs.removeIf(x -> x.name().equals(OPAQUE.name()));
        dir.xattrs.add(OPAQUE);
    }

    /** Writes directories, xattrs, inodes and the superblock; the image is then blocks [0, result.blocks()). */
    public ErofsImage finish() throws IOException {
        return new MetadataWriter(out, root, nextBlock).write();
    }

    private static int typeBits(EntryKind k) {
        return switch (k) {
            case FILE -> ErofsLayout.S_IFREG;
            case DIRECTORY -> ErofsLayout.S_IFDIR;
            case SYMLINK -> ErofsLayout.S_IFLNK;
            case CHAR_DEVICE -> ErofsLayout.S_IFCHR;
            case BLOCK_DEVICE -> ErofsLayout.S_IFBLK;
            case FIFO -> ErofsLayout.S_IFIFO;
            case HARDLINK -> throw new IllegalArgumentException("hard links have no inode type");
        };
    }

    /** Linux new_encode_dev: the 32-bit rdev EROFS stores. */
    static int encodeDev(int major, int minor) {
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12);
    }

    private static void applyMeta(Node n, LayerEntry e) throws LayerFormatException {
        n.perm = e.mode() & 07777;
        n.uid = e.uid();
        n.gid = e.gid();
        n.mtime = e.mtimeSeconds();
        n.mtimeNanos = e.mtimeNanos();
        n.xattrs = new java.util.TreeSet<>();
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            try {
                n.xattrs.add(new Xattr(XattrName.of(x.getKey()), x.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new LayerFormatException(e.path() + ": " + ex.getMessage());
            }
        }
        int total = ErofsLayout.XATTR_IBODY_HEADER;
        for (Xattr x : n.xattrs) {
            total += x.entrySize();
        }
        if (total > 65536) {
            throw new LayerFormatException(e.path() + ": xattrs take " + total + " bytes, EROFS allows 64 KiB");
        }
    }

    /** The directory at dirPath, creating missing parents; refuses to pass through symlinks or files. */
    private Node directory(String dirPath, String forEntry) throws LayerFormatException {
        Node cur = root;
        if (dirPath.isEmpty()) {
            return cur;
        }
        StringBuilder walked = new StringBuilder();
        for (String part : dirPath.split("/")) {
            if (!walked.isEmpty()) {
                walked.append('/');
            }
            walked.append(part);
            Node next = cur.children.get(part);
            if (next == null) {
                next = new Node(ErofsLayout.S_IFDIR);
                next.perm = 0755;
                cur.children.put(part, next);
            } else if (next.typeBits == ErofsLayout.S_IFLNK) {
                throw new LayerFormatException("entry " + forEntry + " goes through symlink " + walked
                        + " (refusing to follow links inside a layer)");
            } else if (!next.isDir()) {
                throw new LayerFormatException("entry " + forEntry + ": parent " + walked + " is not a directory");
            }
            cur = next;
        }
        return cur;
    }

    private Node lookup(String path, String forEntry) throws LayerFormatException {
        int slash = path.lastIndexOf('/');
        Node parent = root;
        String walked = "";
        for (String part : (slash < 0 ? "" : path.substring(0, slash)).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            walked = walked.isEmpty() ? part : walked + "/" + part;
            Node next = parent.children.get(part);
            if (next == null) {
                return null;
            }
            if (next.typeBits == ErofsLayout.S_IFLNK) {
                throw new LayerFormatException("hard link " + forEntry + " goes through symlink " + walked);
            }
            if (!next.isDir()) {
                return null;
            }
            parent = next;
        }
        return parent.children.get(path.substring(slash + 1));
    }

    private void writeData(Node n, LayerEntry e, InputStream in) throws IOException {
        long size = e.size();
        n.size = size;
        long full = size / ErofsLayout.BLOCK_SIZE;
        int tailLen = (int) (size % ErofsLayout.BLOCK_SIZE);
        n.firstBlock = full > 0 ? nextBlock : 0;
        long remaining = full * ErofsLayout.BLOCK_SIZE;
        long pos = nextBlock * ErofsLayout.BLOCK_SIZE;
        while (remaining > 0) {
            int chunk = (int) Math.min(buf.length, remaining);
            readFully(in, buf, chunk, e.path());
            writeFully(ByteBuffer.wrap(buf, 0, chunk), pos);
            pos += chunk;
            remaining -= chunk;
        }
        nextBlock += full;
        n.dataBlocks = full;
        if (tailLen > 0) {
            byte[] tail = new byte[tailLen];
            readFully(in, tail, tailLen, e.path());
            // worst case for the inode: extended, every xattr inline
            int xattrs = ErofsLayout.XATTR_IBODY_HEADER;
            for (Xattr x : n.xattrs) {
                xattrs += x.entrySize();
            }
            if (ErofsLayout.EXTENDED_INODE + xattrs + tailLen <= ErofsLayout.BLOCK_SIZE) {
                n.tail = tail;
            } else {
                byte[] block = Arrays.copyOf(tail, ErofsLayout.BLOCK_SIZE);
                if (full == 0) {
                    n.firstBlock = nextBlock;
                }
                writeFully(ByteBuffer.wrap(block), nextBlock * ErofsLayout.BLOCK_SIZE);
                nextBlock++;
                n.dataBlocks++;
            }
        }
        if (in.read() >= 0) {
            throw new LayerFormatException("entry " + e.path() + " has more data than its declared size " + size);
        }
    }

    private static void readFully(InputStream in, byte[] b, int len, String path) throws IOException {
        int n = in.readNBytes(b, 0, len);
        if (n != len) {
            throw new LayerFormatException("truncated tar: data of " + path + " ends early");
        }
    }

    private void writeFully(ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += out.write(b, pos);
        }
    }
}
