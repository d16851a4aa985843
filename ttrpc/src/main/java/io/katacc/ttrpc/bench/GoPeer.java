package io.katacc.ttrpc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds and runs the Go ttrpc peer (containerd/ttrpc from Debian's golang-github-containerd-ttrpc-dev, built
 * offline with GOPATH=/usr/share/gocode GO111MODULE=off).
 */
public final class GoPeer {
    public static final Path GOPATH = Path.of("/usr/share/gocode");
    public static final Path TTRPC_SOURCE = GOPATH.resolve("src/github.com/containerd/ttrpc");

    private final Path binary;

    private GoPeer(Path binary) {
        this.binary = binary;
    }

    /** Why the peer cannot be built here, or null when go and the ttrpc sources are present. */
    public static String missingTools() {
        if (findGo() == null) {
            return "no 'go' on PATH or /usr/bin/go (apt-get install golang-go)";
        }
        if (!Files.isDirectory(TTRPC_SOURCE)) {
            return "no Go ttrpc sources at " + TTRPC_SOURCE + " (apt-get install golang-github-containerd-ttrpc-dev)";
        }
        return null;
    }

    private static Path findGo() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path go = Path.of(dir.isEmpty() ? "." : dir, "go");
            if (Files.isExecutable(go)) {
                return go;
            }
        }
        Path go = Path.of("/usr/bin/go");
        return Files.isExecutable(go) ? go : null;
    }

    /** Builds {@code sourceDir} (the ttrpc-peer main package) into {@code outDir/ttrpc-peer}. */
    public static GoPeer build(Path sourceDir, Path outDir) throws IOException, InterruptedException {
        String missing = missingTools();
        if (missing != null) {
            throw new IllegalStateException("cannot build the Go ttrpc peer: " + missing);
        }
        Files.createDirectories(outDir);
        Path binary = outDir.resolve("ttrpc-peer").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(findGo().toString(), "build", "-o", binary.toString(), ".")
                .directory(sourceDir.toFile()).redirectErrorStream(true);
        pb.environment().put("GOPATH", GOPATH.toString());
        pb.environment().put("GO111MODULE", "off");
        pb.environment().putIfAbsent("GOCACHE", outDir.toAbsolutePath().resolve("go-cache").toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("go build of " + sourceDir + " failed:\n" + output);
        }
        return new GoPeer(binary);
    }

    public Path binary() {
        return binary;
    }

    /** Starts {@code ttrpc-peer serve} and waits until it listens. */
    public Process serve(Path socket) throws IOException {
        Process p = new ProcessBuilder(binary.toString(), "serve", "-socket", socket.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("listening")) {
            p.destroyForcibly();
            throw new IOException("Go ttrpc server did not start: " + line);
        }
        return p;
    }

    /** Runs {@code ttrpc-peer <mode> -socket S args...} and returns its stdout lines. */
    public List<String> run(String mode, Path socket, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), mode, "-socket", socket.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out);
        }
        return out.lines().toList();
    }
}
