package io.katacc.integration;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Locates the checkout and makes sure the Debian packages the VM tests use are installed. */
public final class TestEnvironment {
    private TestEnvironment() {}

    public static Path repoDir() {
        String prop = System.getProperty("kcc.repo.dir");
        if (prop != null) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("guest-image"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (no guest-image/ above "
                    + Path.of("").toAbsolutePath() + "); set -Dkcc.repo.dir");
        }
        return dir;
    }

    public static Path sharedDir() {
        String prop = System.getProperty("kcc.shared.dir");
        return (prop != null ? Path.of(prop) : repoDir().resolveSibling("shared")).toAbsolutePath().normalize();
    }

    /** A genpolicy-generated Kata policy from the shared reference data, used as the image's default. */
    public static Path samplePolicy() {
        Path p = sharedDir().resolve("data/kata-policy/pod-exec/policy.rego");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("shared reference policy missing: " + p);
        }
        return p;
    }

    /** Runs bin/install-test-deps when a tool is missing; aborts the test only if that cannot work. */
    public static void requireGuestImageTools() throws IOException, InterruptedException {
        if (guestToolsPresent()) {
            return;
        }
        Process p = new ProcessBuilder(repoDir().resolve("bin/install-test-deps").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean ok = p.waitFor(15, TimeUnit.MINUTES) && p.exitValue() == 0;
        assumeTrue(ok && guestToolsPresent(),
                "guest image tools (qemu-system-x86, busybox-static, linux-image-amd64, kmod, cpio, runc) "
                        + "missing and bin/install-test-deps could not install them: " + out);
    }

    private static boolean guestToolsPresent() throws IOException {
        for (String tool : List.of("/usr/bin/qemu-system-x86_64", "/bin/busybox", "/usr/sbin/runc", "/bin/kmod",
                "/usr/bin/cpio")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return false;
            }
        }
        try (Stream<Path> boot = Files.list(Path.of("/boot"))) {
            return boot.anyMatch(p -> p.getFileName().toString().startsWith("vmlinuz-"));
        }
    }
}
