package io.katacc.verity.hashtree;

import java.util.ArrayList;
import java.util.List;

/** The levels of a dm-verity hash tree, level 0 (hashes of data blocks) first, plus the root hash. */
record HashTree(List<byte[]> levels, byte[] rootHash) {

    /** Builds the upper levels from level-0 digests; each level is its digests zero-padded to whole blocks. */
    static HashTree fromLeafDigests(byte[] digests, BlockHasher hasher, int hashBlockSize) {
        List<byte[]> levels = new ArrayList<>();
        if (digests.length == BlockHasher.DIGEST) {
            // a single data block: like the kernel and veritysetup, no tree levels, its hash is the root
            return new HashTree(levels, digests.clone());
        }
        byte[] cur = digests;
        while (true) {
            int blocks = Math.max(1, (cur.length + hashBlockSize - 1) / hashBlockSize);
            byte[] level = new byte[blocks * hashBlockSize];
            System.arraycopy(cur, 0, level, 0, cur.length);
            levels.add(level);
            byte[] next = new byte[blocks * BlockHasher.DIGEST];
            hasher.hashBlocks(level, 0, blocks, next, 0);
            if (blocks == 1) {
                return new HashTree(levels, next);
            }
            cur = next;
        }
    }

    /** Bytes of the tree as stored: top level first. */
    long storedBytes() {
        long n = 0;
        for (byte[] l : levels) {
            n += l.length;
        }
        return n;
    }

    /** Offset of level i relative to the tree start (top level first on disk). */
    long levelOffset(int i) {
        long off = 0;
        for (int j = levels.size() - 1; j > i; j--) {
            off += levels.get(j).length;
        }
        return off;
    }
}
