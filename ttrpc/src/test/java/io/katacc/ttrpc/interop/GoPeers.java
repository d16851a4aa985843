package io.katacc.ttrpc.interop;

import io.katacc.ttrpc.bench.GoPeer;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Builds the Go peer once per test JVM, installing the Debian packages first if they are missing. */
final class GoPeers {
    private static GoPeer peer;

    private GoPeers() {
    }

    static synchronized GoPeer get() throws Exception {
        if (peer != null) {
            return peer;
        }
        Path module = moduleDir();
        if (GoPeer.missingTools() != null) {
            Path install = module.resolveSibling("bin").resolve("install-test-deps");
            if (Files.isExecutable(install)) {
                new ProcessBuilder(install.toString()).inheritIO().start().waitFor();
            }
        }
        String missing = GoPeer.missingTools();
        Assumptions.assumeTrue(missing == null, () -> "Go ttrpc peer unavailable even after bin/install-test-deps: "
                + missing);
        peer = GoPeer.build(module.resolve("src/test/go/ttrpc-peer"), module.resolve("target/go"));
        return peer;
    }

    static Path moduleDir() {
        String repo = System.getProperty("kcc.repo.dir");
        Path candidate = repo != null ? Path.of(repo, "ttrpc") : Path.of("").toAbsolutePath();
        return Files.isDirectory(candidate.resolve("src/test/go")) ? candidate : Path.of("").toAbsolutePath();
    }
}
