package io.katacc.snp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads ../shared/data/snp (system property kcc.shared.dir, else <repo>/../shared). */
public final class SharedData {
    private SharedData() {
    }

    public static Path snpDir() {
        String shared = System.getProperty("kcc.shared.dir");
        Path base = shared != null ? Path.of(shared)
                : Path.of(System.getProperty("kcc.repo.dir", "..")).resolve("../shared");
        return base.resolve("data/snp");
    }

    public static byte[] read(String name) {
        try {
            return Files.readAllBytes(snpDir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("shared SNP data missing: " + snpDir().resolve(name), e);
        }
    }
}
