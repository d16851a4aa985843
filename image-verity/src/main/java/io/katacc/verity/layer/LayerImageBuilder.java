package io.katacc.verity.layer;

import io.katacc.verity.erofs.ErofsBuilder;
import io.katacc.verity.erofs.ErofsImage;
import io.katacc.verity.hashtree.VerityFormatter;
import io.katacc.verity.hashtree.VerityParams;
import io.katacc.verity.snapshot.SnapshotReader;
import io.katacc.verity.tar.LayerReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Layer tar (plain, gzip or zstd) to EROFS image + appended dm-verity tree. The salt defaults to
 * SHA-256("kcc-verity-salt" || layer blob), so the same layer always gives the same image and root hash.
 */
public final class LayerImageBuilder {
    private final VerityFormatter formatter;

    public LayerImageBuilder(int hashThreads) {
        this.formatter = new VerityFormatter(hashThreads);
    }

    public LayerImageBuilder() {
        this.formatter = new VerityFormatter();
    }

    public LayerImage build(Path layerTar, Path output) throws IOException {
        try (InputStream in = Files.newInputStream(layerTar)) {
            return build(in, output, null);
        }
    }

    /**
     * Builds from a stream. {@code salt} null means derive it from the blob. On any failure the output
     * file is deleted, so a half-written image never survives.
     */
    public LayerImage build(InputStream layer, Path output, byte[] salt) throws IOException {
        MessageDigest blob = sha256();
        blob.update("kcc-verity-salt".getBytes());
        return write(output, erofs -> {
            DigestInputStream din = new DigestInputStream(layer, blob);
            LayerReader.read(din, erofs);
            din.transferTo(OutputSink.INSTANCE); // trailing padding still belongs to the blob
        }, () -> salt != null ? salt : blob.digest());
    }

    /**
     * Builds from an unpacked layer directory in overlayfs format (a containerd overlayfs snapshot). The salt
     * is derived from everything read, so an unchanged directory gives the same image and root hash.
     */
    public LayerImage buildFromDirectory(Path layerDir, Path output) throws IOException {
        MessageDigest seen = sha256();
        seen.update("kcc-verity-salt-dir".getBytes());
        return write(output, erofs -> SnapshotReader.read(layerDir, new DigestingVisitor(erofs, seen)), seen::digest);
    }

    private interface Source {
        void feed(ErofsBuilder erofs) throws IOException;
    }

    /** EROFS from {@code source}, then the verity tree with the salt known only once all was read. */
    private LayerImage write(Path output, Source source, java.util.function.Supplier<byte[]> salt) throws IOException {
        boolean ok = false;
        try (FileChannel ch = FileChannel.open(output, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING)) {
            ErofsBuilder erofs = new ErofsBuilder(ch);
            source.feed(erofs);
            ErofsImage img = erofs.finish();
            ch.force(false);
            VerityParams p = formatter.appendTo(output, img.bytes(), salt.get());
            ok = true;
            return new LayerImage(output, p, img.inodes());
        } finally {
            if (!ok) {
                Files.deleteIfExists(output);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
