package io.katacc.verity.erofs;

import static io.katacc.verity.erofs.ErofsLayout.BLOCK_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Lays out everything after the file data: directory blocks, the shared xattr area, the inode table
 * (root first, depth-first in name order) and the superblock.
 */
final class MetadataWriter {
    private final FileChannel out;
    private final Node root;
    private long nextBlock;
    private final List<Node> order = new ArrayList<>();
    private long buildTime;
    private int buildNanos;

    MetadataWriter(FileChannel out, Node root, long nextBlock) {
        this.out = out;
        this.root = root;
        this.nextBlock = nextBlock;
    }

    ErofsImage write() throws IOException {
        collect();
        chooseBuildTime();
        Map<Xattr, Integer> sharedIds = shareXattrs();
        for (Node n : order) {
            n.inodeSize = compactFits(n) ? ErofsLayout.COMPACT_INODE : ErofsLayout.EXTENDED_INODE;
            n.xattrSize = xattrSize(n);
        }
        planDirectoriesAndLinks();
        long xattrBlkaddr = 0;
        byte[] sharedArea = renderShared(sharedIds);
        if (sharedArea.length > 0) {
            xattrBlkaddr = nextBlock;
            write(ByteBuffer.wrap(sharedArea), nextBlock * BLOCK_SIZE);
            nextBlock += sharedArea.length / BLOCK_SIZE;
        }
        long metaBlkaddr = nextBlock;
        int metaBytes = assignNids();
        // directory blocks can only be rendered once every nid is known
        for (Node n : order) {
            if (n.isDir()) {
                long blk = n.firstBlock;
                for (byte[] b : n.dirBlocks) {
                    write(ByteBuffer.wrap(b), blk++ * BLOCK_SIZE);
                }
            }
        }
        ByteBuffer meta = ByteBuffer.allocate(ErofsLayout.align(metaBytes, BLOCK_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        int ino = 1;
        for (Node n : order) {
            n.ino = ino++;
            new InodeEncoder(n, buildTime, buildNanos, sharedIds).encode(meta, (int) (n.nid * ErofsLayout.SLOT));
        }
        write(meta.rewind(), metaBlkaddr * BLOCK_SIZE);
        long blocks = metaBlkaddr + meta.capacity() / BLOCK_SIZE;
        writeSuperblock(blocks, metaBlkaddr, xattrBlkaddr);
        out.truncate(blocks * BLOCK_SIZE);
        return new ErofsImage(blocks, order.size(), buildTime);
    }

    /** Depth-first, name order; every inode once even if hard-linked; counts links. */
    private void collect() {
        IdentityHashMap<Node, Boolean> seen = new IdentityHashMap<>();
        root.links = 2;
        visit(root, seen);
    }

    private void visit(Node dir, IdentityHashMap<Node, Boolean> seen) {
        if (seen.put(dir, Boolean.TRUE) != null) {
            return;
        }
        order.add(dir);
        for (Node c : dir.children.values()) {
            if (c.isDir()) {
                c.links = 2;
                dir.links++;
            } else if (seen.containsKey(c)) {
                c.links++;
                continue;
            } else {
                c.links = 1;
                seen.put(c, Boolean.TRUE);
                order.add(c);
            }
        }
        for (Node c : dir.children.values()) {
            if (c.isDir()) {
                visit(c, seen);
            }
        }
    }

    /** The most common mtime becomes the superblock's build time, so most inodes can stay compact. */
    private void chooseBuildTime() {
        Map<List<Long>, Integer> counts = new HashMap<>();
        for (Node n : order) {
            counts.merge(List.of(n.mtime, (long) n.mtimeNanos), 1, Integer::sum);
        }
        List<Long> best = null;
        int bestCount = -1;
        for (var e : new TreeMap<>(counts.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> e.getKey().get(0) * 1_000_000_000L + e.getKey().get(1), Map.Entry::getValue))).entrySet()) {
            if (e.getValue() > bestCount) {
                bestCount = e.getValue();
                best = List.of(Math.floorDiv(e.getKey(), 1_000_000_000L), Math.floorMod(e.getKey(), 1_000_000_000L));
            }
        }
        buildTime = best == null ? 0 : best.get(0);
        buildNanos = best == null ? 0 : best.get(1).intValue();
    }

    private boolean compactFits(Node n) {
        return n.mtime == buildTime && n.mtimeNanos == buildNanos && n.uid <= 0xFFFF && n.gid <= 0xFFFF
                && n.links <= 0xFFFF && n.size <= 0xFFFFFFFFL;
    }

    /** xattrs carried by two or more inodes go to the shared area; ids are 4-byte slots from xattr_blkaddr. */
    private Map<Xattr, Integer> shareXattrs() {
        Map<Xattr, Integer> uses = new HashMap<>();
        for (Node n : order) {
            for (Xattr x : n.xattrs) {
                uses.merge(x, 1, Integer::sum);
            }
        }
        TreeSet<Xattr> shared = new TreeSet<>();
        uses.forEach((x, c) -> {
            if (c >= 2) {
                shared.add(x);
            }
        });
        Map<Xattr, Integer> ids = new java.util.LinkedHashMap<>();
        int pos = 0;
        for (Xattr x : shared) {
            if (pos % BLOCK_SIZE + x.entrySize() > BLOCK_SIZE) {
                pos = ErofsLayout.align(pos, BLOCK_SIZE);
            }
            ids.put(x, pos / 4);
            pos += x.entrySize();
        }
        for (Node n : order) {
            List<Xattr> s = new ArrayList<>();
            List<Xattr> in = new ArrayList<>();
            for (Xattr x : n.xattrs) {
                (ids.containsKey(x) ? s : in).add(x);
            }
            n.shared = s;
            n.inline = in;
        }
        return ids;
    }

    private static byte[] renderShared(Map<Xattr, Integer> ids) {
        if (ids.isEmpty()) {
            return new byte[0];
        }
        int end = 0;
        for (var e : ids.entrySet()) {
            end = Math.max(end, e.getValue() * 4 + e.getKey().entrySize());
        }
        ByteBuffer b = ByteBuffer.allocate(ErofsLayout.align(end, BLOCK_SIZE));
        for (var e : ids.entrySet()) {
            b.position(e.getValue() * 4);
            e.getKey().writeTo(b);
        }
        return b.array();
    }

    private static int xattrSize(Node n) {
        if (n.xattrs.isEmpty()) {
            return 0;
        }
        int size = ErofsLayout.XATTR_IBODY_HEADER + 4 * n.shared.size();
        for (Xattr x : n.inline) {
            size += x.entrySize();
        }
        return size;
    }

    /** Packs each directory's dirents into blocks and decides what is inlined behind the inode. */
    private void planDirectoriesAndLinks() {
        for (Node n : order) {
            if (n.isDir()) {
                planDirectory(n);
            } else if (n.typeBits == ErofsLayout.S_IFLNK && n.tail != null
                    && n.inodeSize + n.xattrSize + n.tail.length > BLOCK_SIZE) {
                n.firstBlock = nextBlock++;
                n.dataBlocks = 1;
                n.dirBlocks = List.of(java.util.Arrays.copyOf(n.tail, BLOCK_SIZE));
                n.tail = null;
            }
        }
        for (Node n : order) {
            if (n.typeBits == ErofsLayout.S_IFLNK && n.dirBlocks != null) {
                try {
                    write(ByteBuffer.wrap(n.dirBlocks.get(0)), n.firstBlock * BLOCK_SIZE);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    private void planDirectory(Node dir) {
        TreeMap<String, Node> entries = new TreeMap<>(Node.NAME_ORDER);
        entries.putAll(dir.children);
        entries.put(".", dir);
        entries.put("..", parentOf(dir));
        List<List<Map.Entry<String, Node>>> blocks = new ArrayList<>();
        List<Map.Entry<String, Node>> cur = new ArrayList<>();
        int used = 0;
        for (var e : entries.entrySet()) {
            int need = ErofsLayout.DIRENT + e.getKey().getBytes(StandardCharsets.UTF_8).length;
            if (used + need > BLOCK_SIZE) {
                blocks.add(cur);
                cur = new ArrayList<>();
                used = 0;
            }
            cur.add(e);
            used += need;
        }
        blocks.add(cur);
        dir.size = (long) (blocks.size() - 1) * BLOCK_SIZE + used;
        boolean inlineTail = used < BLOCK_SIZE && dir.inodeSize + dir.xattrSize + used <= BLOCK_SIZE;
        long stored = blocks.size() - (inlineTail ? 1 : 0);
        dir.firstBlock = stored > 0 ? nextBlock : 0;
        dir.dataBlocks = stored;
        nextBlock += stored;
        dir.dirBlocks = new ArrayList<>();
        // rendered after nids are known; keep the packing
        dirPlans.put(dir, new DirPlan(blocks, inlineTail, used));
    }

    private final IdentityHashMap<Node, DirPlan> dirPlans = new IdentityHashMap<>();
    private final IdentityHashMap<Node, Node> parents = new IdentityHashMap<>();

    private record DirPlan(List<List<Map.Entry<String, Node>>> blocks, boolean inlineTail, int tailUsed) {
    }

    private Node parentOf(Node dir) {
        if (parents.isEmpty()) {
            parents.put(root, root);
            for (Node n : order) {
                if (n.isDir()) {
                    for (Node c : n.children.values()) {
                        if (c.isDir()) {
                            parents.put(c, n);
                        }
                    }
                }
            }
        }
        return parents.get(dir);
    }

    /** Places inodes 32-byte aligned; an inode with its inline data never straddles a block. */
    private int assignNids() {
        // nid 0 would become inode number 0, which readdir users (glibc) treat as a deleted entry
        int pos = ErofsLayout.SLOT;
        for (Node n : order) {
            int inlineLen = n.isDir() ? (dirPlans.get(n).inlineTail() ? dirPlans.get(n).tailUsed() : 0)
                    : n.inlineLength();
            int total = n.inodeSize + n.xattrSize + inlineLen;
            pos = ErofsLayout.align(pos, ErofsLayout.SLOT);
            if (total <= BLOCK_SIZE && pos % BLOCK_SIZE + total > BLOCK_SIZE) {
                pos = ErofsLayout.align(pos, BLOCK_SIZE);
            }
            n.nid = pos / ErofsLayout.SLOT;
            pos += total;
        }
        for (Node n : order) {
            if (n.isDir()) {
                renderDirectory(n, dirPlans.get(n));
            }
        }
        return pos;
    }

    private static void renderDirectory(Node dir, DirPlan plan) {
        List<byte[]> rendered = new ArrayList<>();
        for (int i = 0; i < plan.blocks().size(); i++) {
            List<Map.Entry<String, Node>> entries = plan.blocks().get(i);
            boolean last = i == plan.blocks().size() - 1;
            ByteBuffer b = ByteBuffer.allocate(last ? plan.tailUsed() : BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            int nameOff = entries.size() * ErofsLayout.DIRENT;
            for (var e : entries) {
                b.putLong(e.getValue().nid).putShort((short) nameOff).put((byte) e.getValue().fileType()).put((byte) 0);
                nameOff += e.getKey().getBytes(StandardCharsets.UTF_8).length;
            }
            for (var e : entries) {
                b.put(e.getKey().getBytes(StandardCharsets.UTF_8));
            }
            rendered.add(b.array());
        }
        if (plan.inlineTail()) {
            dir.tail = rendered.remove(rendered.size() - 1);
        } else {
            byte[] lastBlock = rendered.remove(rendered.size() - 1);
            rendered.add(java.util.Arrays.copyOf(lastBlock, BLOCK_SIZE));
            dir.tail = null;
        }
        dir.dirBlocks = rendered;
    }

    private void writeSuperblock(long blocks, long metaBlkaddr, long xattrBlkaddr) throws IOException {
        if (blocks > 0xFFFFFFFFL) {
            throw new IOException("image too large for 32-bit EROFS block addresses: " + blocks + " blocks");
        }
        ByteBuffer sb = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        sb.putInt(0, ErofsLayout.MAGIC);
        sb.put(12, (byte) ErofsLayout.BLOCK_BITS);
        sb.putShort(14, (short) root.nid);
        sb.putLong(16, order.size());
        sb.putLong(24, buildTime);
        sb.putInt(32, buildNanos);
        sb.putInt(36, (int) blocks);
        sb.putInt(40, (int) metaBlkaddr);
        sb.putInt(44, (int) xattrBlkaddr);
        write(sb, ErofsLayout.SUPERBLOCK_OFFSET);
    }

    private void write(ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += out.write(b, pos);
        }
    }
}
