package io.katacc.verity.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the real tools the tests compare against. */
public final class Tools {
    private Tools() {
    }

    public record Result(int exit, String output) {
    }

    public static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    public static void assumeTool(String path, String pkg) {
        assumeTrue(Files.isExecutable(Path.of(path)), path + " missing: apt-get install " + pkg
                + " (bin/install-test-deps)");
    }

    public static void assumeRootAndErofs() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting loop devices needs root");
        assumeTrue(Files.readString(Path.of("/proc/filesystems")).contains("erofs"),
                "kernel has no EROFS driver (/proc/filesystems)");
        assumeTrue(Files.exists(Path.of("/dev/loop-control")), "no loop device support (/dev/loop-control)");
    }
}
