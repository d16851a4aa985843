package io.katacc.integration.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A two-layer busybox image as an OCI image archive that {@code ctr images import} takes. Layer 1 holds
 * static busybox with its applets; layer 2 adds {@code /etc/kcc-release} and whites out
 * {@code /etc/removed-by-layer2}, so a container that sees the first and not the second proves the layers
 * were stacked with OCI semantics.
 */
public final class BusyboxImage {
    public static final String NAME = "docker.io/library/kcc-busybox:latest";
    public static final String RELEASE_TEXT = "kata-cc-java test image\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BusyboxImage() {
    }

    /** Writes the archive; the same busybox gives the same bytes (fixed times and owners, sorted entries). */
    public static Path write(Path busybox, Path archive) throws IOException, InterruptedException {
        byte[] bb = Files.readAllBytes(busybox);
        byte[] layer1 = layer1(bb, applets(busybox));
        byte[] layer2 = layer2();
        ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
        ObjectNode cc = config.putObject("config");
        cc.putArray("Env").add("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
        cc.putArray("Cmd").add("sh");
        cc.put("WorkingDir", "/");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        rootfs.putArray("diff_ids").add(digest(layer1)).add(digest(layer2));
        byte[] configBytes = JSON.writeValueAsBytes(config);

        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", configBytes));
        ArrayNode layers = manifest.putArray("layers");
        layers.add(descriptor("application/vnd.oci.image.layer.v1.tar", layer1));
        layers.add(descriptor("application/vnd.oci.image.layer.v1.tar", layer2));
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);

        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2);
        ObjectNode m = descriptor("application/vnd.oci.image.manifest.v1+json", manifestBytes);
        // containerd's importer names the image from this annotation
        m.putObject("annotations").put("io.containerd.image.name", NAME).put("org.opencontainers.image.ref.name", "latest");
        index.putArray("manifests").add(m);

        try (OutputStream out = Files.newOutputStream(archive); TarArchiveOutputStream tar = tar(out)) {
            file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8), 0644);
            dir(tar, "blobs/", 0755);
            dir(tar, "blobs/sha256/", 0755);
            for (byte[] blob : List.of(layer1, layer2, configBytes, manifestBytes)) {
                file(tar, "blobs/sha256/" + digest(blob).substring(7), blob, 0644);
            }
            file(tar, "index.json", JSON.writeValueAsBytes(index), 0644);
        }
        return archive;
    }

    private static byte[] layer1(byte[] busybox, List<String> applets) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = tar(b)) {
            for (String d : List.of("bin/", "dev/", "etc/", "proc/", "root/", "sys/", "usr/", "usr/bin/", "sbin/",
                    "usr/sbin/", "var/")) {
                dir(tar, d, 0755);
            }
            dir(tar, "tmp/", 01777);
            file(tar, "bin/busybox", busybox, 0755);
            TreeSet<String> links = new TreeSet<>();
            for (String a : applets) {
                String rel = a.startsWith("/") ? a.substring(1) : a;
                if (!rel.equals("bin/busybox") && rel.contains("/")) {
                    links.add(rel);
                }
            }
            for (String l : links) {
                TarArchiveEntry e = new TarArchiveEntry(l, TarConstants.LF_SYMLINK);
                e.setLinkName("/bin/busybox");
                meta(e, 0777);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            file(tar, "etc/group", "root:x:0:\n".getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, "etc/removed-by-layer2", "layer 1 only\n".getBytes(StandardCharsets.UTF_8), 0644);
        }
        return b.toByteArray();
    }

    private static byte[] layer2() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = tar(b)) {
            dir(tar, "etc/", 0755);
            file(tar, "etc/.wh.removed-by-layer2", new byte[0], 0644);
            file(tar, "etc/kcc-release", RELEASE_TEXT.getBytes(StandardCharsets.UTF_8), 0644);
        }
        return b.toByteArray();
    }

    /** busybox's own applet list, with install paths ({@code --list-full}). */
    private static List<String> applets(Path busybox) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(busybox.toString(), "--list-full").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(busybox + " --list-full failed: " + out);
        }
        return new ArrayList<>(out.lines().filter(s -> !s.isBlank()).toList());
    }

    private static TarArchiveOutputStream tar(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        return tar;
    }

    private static void dir(TarArchiveOutputStream tar, String name, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        meta(e, mode);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        meta(e, mode);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void meta(TarArchiveEntry e, int mode) {
        e.setMode((e.isDirectory() ? 040000 : e.isSymbolicLink() ? 0120000 : 0100000) | mode);
        e.setModTime(0);
        e.setIds(0, 0);
        e.setNames("root", "root");
    }

    private static ObjectNode descriptor(String mediaType, byte[] blob) {
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest(blob)).put("size", blob.length);
    }

    static String digest(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
