package io.katacc.integration.containerd;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real containerd (Debian package) with its own root, state and sockets under one directory, so tests and
 * the demo never touch a system containerd. The CRI plugin is off: {@code ctr} drives it.
 */
public final class PrivateContainerd implements AutoCloseable {
    public static final Path CONTAINERD = Path.of("/usr/bin/containerd");
    public static final Path CTR = Path.of("/usr/bin/ctr");

    private final Path dir;
    private final Path socket;
    private final Process process;

    /** What {@code ctr} printed (stdout and stderr together) and its exit code. */
    public record CtrResult(int exit, String output) {
    }

    private PrivateContainerd(Path dir, Path socket, Process process) {
        this.dir = dir;
        this.socket = socket;
        this.process = process;
    }

    /** Why a private containerd cannot run here, if it cannot. */
    public static Optional<String> unavailableReason() {
        if (!Files.isExecutable(CONTAINERD) || !Files.isExecutable(CTR)) {
            return Optional.of("containerd not installed (apt-get install containerd; bin/install-test-deps)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("a private containerd needs root");
        }
        return Optional.empty();
    }

    /** Starts containerd under {@code dir} with {@code env} added to its environment and waits until it listens. */
    public static PrivateContainerd start(Path dir, Map<String, String> env) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path sock = dir.resolve("containerd.sock");
        Path config = Files.writeString(dir.resolve("config.toml"), """
                version = 2
                disabled_plugins = ["io.containerd.grpc.v1.cri"]
                [grpc]
                  address = "%s"
                [ttrpc]
                  address = "%s"
                """.formatted(sock, dir.resolve("containerd.sock.ttrpc")));
        ProcessBuilder pb = new ProcessBuilder(CONTAINERD.toString(), "--config", config.toString(),
                "--root", dir.resolve("root").toString(), "--state", dir.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile());
        pb.environment().putAll(env);
        PrivateContainerd containerd = new PrivateContainerd(dir, sock, pb.start());
        try {
            containerd.awaitListening();
        } catch (IOException | InterruptedException | RuntimeException e) {
            containerd.close();
            throw e;
        }
        return containerd;
    }

    public Path socket() {
        return socket;
    }

    public Path dir() {
        return dir;
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("containerd.log"));
    }

    /** Runs {@code ctr --address <ours> args...} and collects its output. */
    public CtrResult ctr(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = ctrProcess(args).redirectErrorStream(true).start();
        p.getOutputStream().close();
        var out = new java.io.ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (IOException ignored) {
                // process gone
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(2000);
            throw new IOException("ctr " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s; output: "
                    + out.toString(StandardCharsets.UTF_8));
        }
        reader.join();
        return new CtrResult(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    /** A {@code ctr} command line against this containerd, for callers that stream its output themselves. */
    public ProcessBuilder ctrProcess(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(CTR.toString(), "--address", socket.toString()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd);
    }

    private void awaitListening() throws IOException, InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (!process.isAlive()) {
                throw new IOException("containerd exited: " + log());
            }
            if (Files.exists(socket)) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    return;
                } catch (IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("containerd did not listen on " + socket + " within 30 s");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
