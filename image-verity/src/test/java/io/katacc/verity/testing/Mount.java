package io.katacc.verity.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** An EROFS image mounted read-only through a loop device; unmounts on close. */
public final class Mount implements AutoCloseable {
    private final Path dir;

    public Mount(Path image, Path dir) throws Exception {
        this.dir = Files.createDirectories(dir);
        Tools.Result r = Tools.run(List.of("mount", "-t", "erofs", "-o", "loop,ro", image.toString(), dir.toString()));
        assertEquals(0, r.exit(), "mount -t erofs failed: " + r.output());
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws Exception {
        Tools.run(List.of("umount", dir.toString()));
    }
}
