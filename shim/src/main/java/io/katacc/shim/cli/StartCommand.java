package io.katacc.shim.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code start}: find or launch the pod's shim server, write the bundle's {@code address} file and
 * return the address for containerd. The server is a new process in its own session, detached from
 * containerd's, with its socket passed by {@code -socket}.
 */
public final class StartCommand {
    private final Path socketDir;
    private final List<String> serverLauncher;
    private final Duration readyTimeout;
    private final java.util.Map<String, String> serverEnv;

    public StartCommand(Path socketDir, List<String> serverLauncher, Duration readyTimeout) {
        this(socketDir, serverLauncher, readyTimeout, java.util.Map.of());
    }

    /**
     * @param serverLauncher command prefix that runs the server main with the flags appended
     *                       (normally this JVM with {@link ShimMain}; tests substitute a small server)
     * @param serverEnv      variables added to the server's environment (it inherits ours)
     */
    public StartCommand(Path socketDir, List<String> serverLauncher, Duration readyTimeout,
                        java.util.Map<String, String> serverEnv) {
        this.serverEnv = java.util.Map.copyOf(serverEnv);
        this.socketDir = socketDir;
        this.serverLauncher = List.copyOf(serverLauncher);
        this.readyTimeout = readyTimeout;
    }

    public String run(ShimFlags flags, Path bundle) throws IOException, InterruptedException {
        requireNonEmpty("id", flags.id());
        requireNonEmpty("namespace", flags.namespace());
        BundleSpec spec = BundleSpec.read(bundle);
        ShimSocket socket = ShimSocket.forGroup(socketDir, flags.address(), flags.namespace(), spec.groupId(flags.id()));
        if (!socket.alive()) {
            launch(flags, bundle, socket);
        }
        Path tmp = bundle.resolve("address.tmp");
        Files.writeString(tmp, socket.address());
        Files.move(tmp, bundle.resolve("address"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return socket.address();
    }

    private void launch(ShimFlags flags, Path bundle, ShimSocket socket) throws IOException, InterruptedException {
        Files.createDirectories(socket.path().getParent());
        Files.deleteIfExists(socket.path()); // a dead shim's socket
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid"); // own session: containerd's signals to its group must not reach us
        }
        cmd.addAll(serverLauncher);
        List<String> serverArgs = new ArrayList<>(FlagParser.render(new ShimFlags(flags.namespace(), flags.address(),
                flags.publishBinary(), flags.id(), java.util.Optional.of(bundle), flags.debug(), false,
                java.util.Optional.of(socket.address()), List.of())));
        cmd.addAll(serverArgs);
        // containerd creates the bundle's `log` FIFO and copies it into its own log; outside containerd, a file
        Path log = Files.exists(bundle.resolve("log")) ? bundle.resolve("log") : bundle.resolve("shim-start.log");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(serverEnv);
        Process p = pb
                .directory(bundle.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Instant deadline = Instant.now().plus(readyTimeout);
        while (!socket.alive()) {
            if (!p.isAlive() && !socket.alive()) {
                throw new IOException("shim server exited with status " + p.exitValue()
                        + " before serving " + socket.address() + "; see " + log);
            }
            if (Instant.now().isAfter(deadline)) {
                p.destroyForcibly();
                throw new IOException("shim server did not serve " + socket.address() + " within " + readyTimeout);
            }
            Thread.sleep(20);
        }
        Files.writeString(bundle.resolve("shim.pid"), Long.toString(p.pid())); // setsid execs in place: same pid
    }

    private static void requireNonEmpty(String flag, String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("start needs -" + flag);
        }
    }
}
