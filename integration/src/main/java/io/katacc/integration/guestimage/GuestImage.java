package io.katacc.integration.guestimage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A built guest image, as written by {@code guest-image/build.sh} into its cache directory.
 *
 * @param kernel           uncompressed ELF vmlinux, booted through PVH (QEMU -kernel, Cloud Hypervisor)
 * @param compressedKernel the distribution's bzImage, for loaders that need one
 * @param initramfs        newc cpio (optionally gzip) with init, busybox, runc, modules, Java, agent
 * @param cmdline          kernel command line that boots it
 */
public record GuestImage(Path dir, Path kernel, Path compressedKernel, Path initramfs, String cmdline,
        Map<String, String> manifest) {

    public GuestImage {
        manifest = Map.copyOf(manifest);
    }

    /** Reads an image directory; fails with the missing file's name if the build did not finish. */
    public static GuestImage load(Path dir) {
        Path kernel = dir.resolve("vmlinux");
        Path bzImage = dir.resolve("vmlinuz");
        Path initramfs = dir.resolve("initramfs");
        for (Path p : new Path[] {kernel, bzImage, initramfs, dir.resolve("cmdline"), dir.resolve("manifest")}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("not a complete guest image directory, missing " + p);
            }
        }
        try {
            String cmdline = Files.readString(dir.resolve("cmdline")).strip();
            Map<String, String> manifest = new LinkedHashMap<>();
            for (String line : Files.readAllLines(dir.resolve("manifest"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    manifest.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return new GuestImage(dir, kernel, bzImage, initramfs, cmdline, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("reading guest image " + dir, e);
        }
    }

    /** The cache key: a hash over every build input. */
    public String key() {
        return manifest.getOrDefault("key", dir.getFileName().toString());
    }
}
