package io.katacc.policy.conformance;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/data (system property kcc.shared.dir, else the repo's sibling folder). */
final class SharedData {
    private SharedData() {}

    static Path dir(String sub) {
        String prop = System.getProperty("kcc.shared.dir");
        Path base = prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(base)) base = Path.of("..", "shared");
        return base.resolve("data").resolve(sub);
    }
}
