package io.katacc.shim.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real containerd (Debian package) with its own root, state and sockets under a test directory, so tests
 * never touch a system containerd. The CRI plugin is off: these tests drive containerd with {@code ctr}.
 */
public final class PrivateContainerd implements AutoCloseable {
    public static final Path CONTAINERD = Path.of("/usr/bin/containerd");
    public static final Path CTR = Path.of("/usr/bin/ctr");

    private final Path dir;
    private final Path socket;
    private final Process process;

    private PrivateContainerd(Path dir, Path socket, Process process) {
        this.dir = dir;
        this.socket = socket;
        this.process = process;
    }

    /** Skips the calling test unless containerd is installed and we are root (a private containerd needs root). */
    public static void assumeAvailable() {
        assumeTrue(Files.isExecutable(CONTAINERD) && Files.isExecutable(CTR), "containerd not installed (apt-get install containerd)");
        assumeTrue("root".equals(System.getProperty("user.name")), "a private containerd needs root");
    }

    /** Starts containerd under {@code dir} with {@code env} added to its environment and waits until it listens. */
    public static PrivateContainerd start(Path dir, Map<String, String> env) throws Exception {
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
        } catch (Exception | Error e) {
            containerd.close();
            throw e;
        }
        return containerd;
    }

    public Path socket() {
        return socket;
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("containerd.log"));
    }

    private void awaitListening() throws Exception {
        for (int i = 0; i < 300; i++) {
            if (!process.isAlive()) {
                fail("containerd exited: " + log());
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
        fail("containerd did not listen on " + socket);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
