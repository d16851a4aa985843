package io.katacc.shim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** bin/containerd-shim-kata-cc-v2 behaves like a shim binary: exit codes, stdout, stderr. */
@Timeout(120)
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of(System.getProperty("kcc.repo.dir", ".."))
            .resolve("bin/containerd-shim-kata-cc-v2").toAbsolutePath().normalize();

    private record Result(int code, String out, String err) {
    }

    private static Result run(Path cwd, String... args) throws Exception {
        var cmd = new java.util.ArrayList<String>();
        cmd.add(SCRIPT.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(cwd, "out", ".txt");
        Path err = Files.createTempFile(cwd, "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "launcher finished");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void versionAndErrorsLikeAShimBinary(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " is executable");
        Result v = run(dir, "-v");
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().startsWith("containerd-shim-kata-cc-v2:\n  Version:  "), v.out());

        Result bad = run(dir, "-namespace", "n", "-id", "x", "frobnicate");
        assertEquals(1, bad.code());
        assertEquals("containerd-shim-kata-cc-v2: unknown action \"frobnicate\" (want start or delete)\n", bad.err());

        // containerd runs delete in the bundle dir after a shim died: the response is a protobuf DeleteResponse
        Files.writeString(dir.resolve("config.json"), "{\"ociVersion\":\"1.1.0\"}");
        Result del = runWithEnv(dir, List.of("KATA_CC_STATE_DIR=" + dir.resolve("state"), ShimSocket.DIR_ENV + "=" + dir.resolve("s")),
                "-namespace", "n", "-id", "c9", "-address", "/run/containerd/containerd.sock", "delete");
        assertEquals(0, del.code(), del.err());
    }

    private static Result runWithEnv(Path cwd, List<String> env, String... args) throws Exception {
        var cmd = new java.util.ArrayList<String>(List.of("/usr/bin/env"));
        cmd.addAll(env);
        cmd.add(SCRIPT.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(cwd, "out", ".bin");
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS));
        var resp = io.katacc.shim.api.task.DeleteResponse.parseFrom(Files.readAllBytes(out));
        assertEquals(137, resp.getExitStatus());
        assertTrue(resp.getExitedAt().getSeconds() > 0);
        return new Result(p.exitValue(), "", "");
    }
}
