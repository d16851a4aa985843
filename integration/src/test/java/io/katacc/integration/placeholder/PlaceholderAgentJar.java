package io.katacc.integration.placeholder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs {@link PlaceholderEchoAgent} into a runnable jar for the boot test. Entry times are fixed so the
 * same class bytes give the same jar, and so the same guest image cache key.
 */
public final class PlaceholderAgentJar {
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0); // zip epoch

    private PlaceholderAgentJar() {}

    /** Writes the jar to {@code target} (atomically) and returns it. */
    public static Path write(Path target) throws IOException {
        Class<?> main = PlaceholderEchoAgent.class;
        String entryName = main.getName().replace('.', '/') + ".class";
        Path tmp = Files.createTempFile(target.getParent(), "placeholder-agent", ".jar.tmp");
        try (OutputStream out = Files.newOutputStream(tmp);
                ZipOutputStream zip = new ZipOutputStream(out);
                InputStream classBytes = main.getResourceAsStream("/" + entryName)) {
            if (classBytes == null) {
                throw new IOException("compiled class not found on the test classpath: " + entryName);
            }
            put(zip, "META-INF/MANIFEST.MF",
                    ("Manifest-Version: 1.0\r\nMain-Class: " + main.getName() + "\r\n\r\n").getBytes());
            put(zip, entryName, classBytes.readAllBytes());
        }
        return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(FIXED_TIME);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
