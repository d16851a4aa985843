package io.katacc.verity.hashtree;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to open a dm-verity device over one image file: the data area is bytes
 * [0, dataBytes), the veritysetup superblock is at hashOffset and the tree follows one hash block later.
 * With data and hashes in one file, hashOffset >= dataBytes; with a separate hash file it is usually 0.
 */
public record VerityParams(
        String hashAlgorithm,
        int dataBlockSize,
        int hashBlockSize,
        long dataBlocks,
        long hashOffset,
        byte[] salt,
        byte[] rootHash) {

    public static final int HASH_TYPE = 1;

    public VerityParams {
        if (!"sha256".equals(hashAlgorithm)) {
            throw new IllegalArgumentException("only sha256 is supported, got " + hashAlgorithm);
        }
        checkBlockSize("data", dataBlockSize);
        checkBlockSize("hash", hashBlockSize);
        if (dataBlocks <= 0) {
            throw new IllegalArgumentException("dataBlocks must be > 0, got " + dataBlocks);
        }
        if (hashOffset < 0 || hashOffset % hashBlockSize != 0) {
            throw new IllegalArgumentException("hashOffset " + hashOffset + " must be a non-negative multiple of "
                    + hashBlockSize);
        }
        if (salt.length > 256) {
            throw new IllegalArgumentException("salt longer than 256 bytes");
        }
        if (rootHash.length != 32) {
            throw new IllegalArgumentException("sha256 root hash must be 32 bytes, got " + rootHash.length);
        }
        salt = salt.clone();
        rootHash = rootHash.clone();
    }

    private static void checkBlockSize(String what, int size) {
        if (size < 512 || size > (1 << 19) || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException(what + " block size must be a power of two in [512, 512K], got " + size);
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    public long dataBytes() {
        return dataBlocks * dataBlockSize;
    }

    /** Offset of the tree's top level: the superblock occupies the first hash block. */
    public long treeOffset() {
        return hashOffset + hashBlockSize;
    }

    /** The dm-verity table's hash_start, in hash blocks, skipping the superblock. */
    public long hashStartBlock() {
        return treeOffset() / hashBlockSize;
    }

    public String rootHashHex() {
        return HexFormat.of().formatHex(rootHash);
    }

    public String saltHex() {
        return salt.length == 0 ? "-" : HexFormat.of().formatHex(salt);
    }

    /** The parameter string of a device-mapper "verity" target using one device for data and hashes. */
    public String tableParams(String dataDevice, String hashDevice) {
        return HASH_TYPE + " " + dataDevice + " " + hashDevice + " " + dataBlockSize + " " + hashBlockSize + " "
                + dataBlocks + " " + hashStartBlock() + " " + hashAlgorithm + " " + rootHashHex() + " " + saltHex();
    }

    /** The CLI/shim JSON shape (field order fixed). */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rootHash", rootHashHex());
        m.put("salt", HexFormat.of().formatHex(salt));
        m.put("dataBytes", dataBytes());
        m.put("hashOffset", hashOffset);
        m.put("hashAlgorithm", hashAlgorithm);
        m.put("dataBlockSize", dataBlockSize);
        m.put("hashBlockSize", hashBlockSize);
        return m;
    }
}
