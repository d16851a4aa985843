package io.katacc.ttrpc;

import io.katacc.ttrpc.transport.UnixAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Short socket paths (sun_path is 108 bytes) in a fresh temp dir. */
public final class TestPaths {
    private TestPaths() {
    }

    public static UnixAddress socket(String name) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "kcc-ttrpc");
        dir.toFile().deleteOnExit();
        return new UnixAddress(dir.resolve(name).toString());
    }
}
