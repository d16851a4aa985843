package io.katacc.verity.hashtree;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.UUID;

/**
 * Writes a dm-verity hash area (veritysetup superblock + tree, SHA-256, format 1) for the first
 * {@code dataBytes} of a file, either appended at the next hash-block boundary or into a separate file.
 */
public final class VerityFormatter {
    public static final int BLOCK_SIZE = 4096;

    private final int threads;

    /** @param threads how many threads hash the data blocks (1 = single-threaded) */
    public VerityFormatter(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        this.threads = threads;
    }

    public VerityFormatter() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** Appends the hash area to {@code image} right after its data (dataBytes rounded up to a block). */
    public VerityParams appendTo(Path image, long dataBytes, byte[] salt) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long dataBlocks = checkData(ch, dataBytes);
            return format(ch, ch, dataBlocks, dataBlocks * BLOCK_SIZE, salt);
        }
    }

    /** Writes the hash area to a separate file, starting at offset 0. */
    public VerityParams writeSeparate(Path data, long dataBytes, Path hashFile, byte[] salt) throws IOException {
        try (FileChannel in = FileChannel.open(data, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(hashFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ)) {
            long dataBlocks = checkData(in, dataBytes);
            return format(in, out, dataBlocks, 0, salt);
        }
    }

    private static long checkData(FileChannel ch, long dataBytes) throws IOException {
        if (dataBytes <= 0 || dataBytes % BLOCK_SIZE != 0) {
            throw new IllegalArgumentException("data size must be a positive multiple of " + BLOCK_SIZE
                    + ", got " + dataBytes);
        }
        if (ch.size() < dataBytes) {
            throw new IllegalArgumentException("file has " + ch.size() + " bytes, fewer than dataBytes " + dataBytes);
        }
        return dataBytes / BLOCK_SIZE;
    }

    private VerityParams format(FileChannel data, FileChannel out, long dataBlocks, long hashOffset, byte[] salt)
            throws IOException {
        BlockHasher hasher = new BlockHasher(salt, BLOCK_SIZE);
        byte[] leaves = hasher.hashChannel(data, 0, dataBlocks, threads);
        HashTree tree = HashTree.fromLeafDigests(leaves, hasher, BLOCK_SIZE);
        byte[] sb = Arrays.copyOf(new VeritySuperblock(VerityParams.HASH_TYPE, uuidFor(salt, tree.rootHash()), "sha256",
                BLOCK_SIZE, BLOCK_SIZE, dataBlocks, salt).encode(), BLOCK_SIZE);
        writeFully(out, ByteBuffer.wrap(sb), hashOffset);
        long pos = hashOffset + BLOCK_SIZE;
        for (int i = tree.levels().size() - 1; i >= 0; i--) {
            byte[] level = tree.levels().get(i);
            writeFully(out, ByteBuffer.wrap(level), pos);
            pos += level.length;
        }
        out.truncate(pos);
        out.force(false);
        return new VerityParams("sha256", BLOCK_SIZE, BLOCK_SIZE, dataBlocks, hashOffset, salt, tree.rootHash());
    }

    /** Deterministic UUID so the same data and salt give the same bytes (veritysetup takes --uuid). */
    public static UUID uuidFor(byte[] salt, byte[] root) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("kcc-verity-uuid".getBytes());
            md.update(salt);
            md.update(root);
            byte[] h = md.digest();
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            ByteBuffer b = ByteBuffer.wrap(h);
            return new UUID(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }
}
