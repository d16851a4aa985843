package io.katacc.integration.placeholder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipOutputStream;

/**
 * Packs {@link PlaceholderEchoAgent} into a runnable jar for the boot test. Entry times are fixed so the
 * same class bytes give the same jar, and so the same guest image cache key.
 */
public final class PlaceholderAgentJar {

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
            io.katacc.integration.agent.AgentLauncherJar.put(zip, "META-INF/MANIFEST.MF",
                    ("Manifest-Version: 1.0\r\nMain-Class: " + main.getName() + "\r\n\r\n").getBytes());
            io.katacc.integration.agent.AgentLauncherJar.put(zip, entryName, classBytes.readAllBytes());
        }
        return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
