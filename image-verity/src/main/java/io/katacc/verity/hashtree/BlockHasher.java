package io.katacc.verity.hashtree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Salted SHA-256 of fixed-size blocks (dm-verity format 1: hash(salt || block)). */
final class BlockHasher {
    static final int DIGEST = 32;
    private static final int CHUNK_BLOCKS = 256;

    private final MessageDigest salted;
    private final int blockSize;

    BlockHasher(byte[] salt, int blockSize) {
        try {
            salted = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        salted.update(salt);
        this.blockSize = blockSize;
    }

    private MessageDigest fresh() {
        try {
            return (MessageDigest) salted.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hashes each block of {@code blocks} (a multiple of blockSize long) into out at outOff. */
    void hashBlocks(byte[] blocks, int off, int count, byte[] out, int outOff) {
        MessageDigest proto = salted;
        for (int i = 0; i < count; i++) {
            MessageDigest d;
            try {
                d = (MessageDigest) proto.clone();
                d.update(blocks, off + i * blockSize, blockSize);
                d.digest(out, outOff + i * DIGEST, DIGEST);
            } catch (CloneNotSupportedException | DigestException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    byte[] hashOne(byte[] block) {
        return fresh().digest(block);
    }

    /**
     * Hashes blocks [0, count) of the channel starting at byte offset start, splitting the work over
     * {@code threads} virtual threads (each with its own read buffer).
     */
    byte[] hashChannel(FileChannel ch, long start, long count, int threads) throws IOException {
        if (count * DIGEST > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("data area too large: " + count + " blocks");
        }
        byte[] out = new byte[(int) (count * DIGEST)];
        int parts = (int) Math.max(1, Math.min(threads, count / CHUNK_BLOCKS));
        if (parts == 1) {
            hashRange(ch, start, 0, count, out);
            return out;
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            long per = (count + parts - 1) / parts;
            for (int p = 0; p < parts; p++) {
                long from = p * per;
                long to = Math.min(count, from + per);
                if (from >= to) {
                    break;
                }
                futures.add(pool.submit(() -> {
                    try {
                        hashRange(ch, start, from, to, out);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException("hashing failed", e.getCause());
        }
        return out;
    }

    private static final long MAP_BYTES = 64L << 20;

    /** Maps the file in large windows: one copy less than read() into a heap buffer. */
    private void hashRange(FileChannel ch, long start, long from, long to, byte[] out) throws IOException {
        long end = start + to * blockSize;
        if (ch.size() < end) {
            throw new IOException("unexpected end of file: need " + end + " bytes, file has " + ch.size());
        }
        long blocksPerMap = MAP_BYTES / blockSize;
        for (long b = from; b < to; b += blocksPerMap) {
            int n = (int) Math.min(blocksPerMap, to - b);
            ByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, start + b * blockSize, (long) n * blockSize);
            for (int i = 0; i < n; i++) {
                try {
                    MessageDigest d = (MessageDigest) salted.clone();
                    d.update(map.slice(i * blockSize, blockSize));
                    d.digest(out, (int) ((b + i) * DIGEST), DIGEST);
                } catch (CloneNotSupportedException | DigestException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
