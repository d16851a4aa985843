package io.katacc.verity.hashtree;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/** Pure-Java check of a whole dm-verity tree: every data block, every hash block, the root. */
public final class VerityVerifier {
    private final int threads;

    public VerityVerifier(int threads) {
        this.threads = Math.max(1, threads);
    }

    public VerityVerifier() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** Data and hash area in one file; the superblock is at hashOffset. */
    public Verification verify(Path image, long hashOffset, byte[] rootHash) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            return verify(ch, ch, hashOffset, rootHash);
        }
    }

    public Verification verify(FileChannel data, FileChannel hashes, long hashOffset, byte[] rootHash)
            throws IOException {
        VeritySuperblock sb;
        try {
            sb = VeritySuperblock.decode(read(hashes, hashOffset, VeritySuperblock.SIZE));
        } catch (IllegalArgumentException e) {
            return Verification.bad("at hash offset " + hashOffset + ": " + e.getMessage());
        }
        if (!"sha256".equals(sb.algorithm()) || sb.hashType() != 1) {
            return Verification.bad("unsupported verity superblock: algorithm " + sb.algorithm() + ", hash type "
                    + sb.hashType());
        }
        int dbs = sb.dataBlockSize();
        int hbs = sb.hashBlockSize();
        if (dbs != hbs || dbs < 512 || Integer.bitCount(dbs) != 1) {
            return Verification.bad("unsupported block sizes data=" + dbs + " hash=" + hbs);
        }
        if (data.size() < sb.dataBlocks() * dbs) {
            return Verification.bad("data area is " + data.size() + " bytes, superblock says " + sb.dataBlocks()
                    + " blocks of " + dbs);
        }
        BlockHasher hasher = new BlockHasher(sb.salt(), dbs);
        byte[] computed = hasher.hashChannel(data, 0, sb.dataBlocks(), threads);
        // the shape of the tree depends only on the block count; rebuild it to know each level's place
        HashTree shape = HashTree.fromLeafDigests(computed, hasher, hbs);
        long treeStart = hashOffset + hbs;
        for (int level = 0; level < shape.levels().size(); level++) {
            byte[] expectedLevel = shape.levels().get(level);
            byte[] stored = read(hashes, treeStart + shape.levelOffset(level), expectedLevel.length);
            int diff = Arrays.mismatch(stored, expectedLevel);
            if (diff < 0) {
                continue;
            }
            int entry = diff / 32;
            long levelStart = treeStart + shape.levelOffset(level);
            if (level == 0 && entry < sb.dataBlocks()) {
                long byteOff = (long) entry * dbs;
                return Verification.bad("data block " + entry + " (bytes " + byteOff + ".." + (byteOff + dbs - 1)
                        + ") does not match its hash in the tree");
            }
            long blockOff = levelStart + (long) (diff / hbs) * hbs;
            return Verification.bad("hash block at byte " + blockOff + " (tree level " + level
                    + ") is corrupted");
        }
        byte[] root = shape.rootHash();
        if (!MessageDigest.isEqual(root, rootHash)) {
            return Verification.bad("root hash mismatch: tree gives " + HexFormat.of().formatHex(root)
                    + ", expected " + HexFormat.of().formatHex(rootHash));
        }
        return Verification.ok();
    }

    private static byte[] read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new IOException("hash area truncated at byte " + (pos + b.position()));
            }
        }
        return b.array();
    }
}
