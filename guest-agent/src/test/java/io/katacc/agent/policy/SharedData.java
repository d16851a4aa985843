package io.katacc.agent.policy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared as the build tells us (kcc.shared.dir). */
public final class SharedData {
    private SharedData() {
    }

    public static Path dir() {
        String prop = System.getProperty("kcc.shared.dir");
        Path p = prop != null ? Path.of(prop) : Path.of(System.getProperty("user.dir")).resolve("../../shared");
        if (!Files.isDirectory(p)) {
            p = Path.of("/work/shared");
        }
        return p.toAbsolutePath().normalize();
    }

    public static Path kataPolicy() {
        return dir().resolve("data/kata-policy");
    }
}
