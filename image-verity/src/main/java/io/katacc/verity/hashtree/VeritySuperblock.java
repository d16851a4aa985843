package io.katacc.verity.hashtree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/** veritysetup's 512-byte on-disk superblock (struct verity_sb, version 1). */
public record VeritySuperblock(int hashType, UUID uuid, String algorithm, int dataBlockSize, int hashBlockSize,
                               long dataBlocks, byte[] salt) {

    public static final int SIZE = 512;
    private static final byte[] SIGNATURE = {'v', 'e', 'r', 'i', 't', 'y', 0, 0};

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SIGNATURE);
        b.putInt(1);
        b.putInt(hashType);
        b.order(ByteOrder.BIG_ENDIAN).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        b.order(ByteOrder.LITTLE_ENDIAN);
        byte[] alg = algorithm.getBytes(StandardCharsets.US_ASCII);
        b.put(alg).position(64);
        b.putInt(dataBlockSize).putInt(hashBlockSize).putLong(dataBlocks);
        b.putShort((short) salt.length);
        b.position(88).put(salt);
        return b.array();
    }

    public static VeritySuperblock decode(byte[] raw) {
        if (raw.length < SIZE || !Arrays.equals(raw, 0, 8, SIGNATURE, 0, 8)) {
            throw new IllegalArgumentException("no dm-verity superblock (signature \"verity\" missing)");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getInt(8);
        if (version != 1) {
            throw new IllegalArgumentException("unsupported verity superblock version " + version);
        }
        ByteBuffer be = ByteBuffer.wrap(raw, 16, 16);
        UUID uuid = new UUID(be.getLong(), be.getLong());
        int end = 32;
        while (end < 64 && raw[end] != 0) {
            end++;
        }
        String alg = new String(raw, 32, end - 32, StandardCharsets.US_ASCII);
        int saltSize = Short.toUnsignedInt(b.getShort(80));
        if (saltSize > 256) {
            throw new IllegalArgumentException("verity superblock salt size " + saltSize + " > 256");
        }
        return new VeritySuperblock(b.getInt(12), uuid, alg, b.getInt(64), b.getInt(68), b.getLong(72),
                Arrays.copyOfRange(raw, 88, 88 + saltSize));
    }
}
