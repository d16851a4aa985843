package io.katacc.integration.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A running QEMU process for one {@link QemuCommand}. Watches the serial console file for markers and
 * opens the agent channel socket; {@link #close()} kills QEMU so no VM outlives its owner.
 */
public final class GuestVm implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(20);

    private final QemuCommand command;
    private final Process process;
    private final long startNanos;
    private final Path qemuLog;

    private GuestVm(QemuCommand command, Process process, long startNanos, Path qemuLog) {
        this.command = command;
        this.process = process;
        this.startNanos = startNanos;
        this.qemuLog = qemuLog;
    }

    /** Starts QEMU; its own stdout/stderr go to {@code qemu.log} next to the console log. */
    public static GuestVm start(QemuCommand command) throws IOException {
        Path qemuLog = command.consoleLog().resolveSibling("qemu.log");
        Files.deleteIfExists(command.consoleLog());
        if (command.agentChannel() instanceof AgentChannel.VirtioSerial serial) {
            Files.deleteIfExists(serial.hostSocket());
        }
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command.argv())
                .redirectErrorStream(true)
                .redirectOutput(qemuLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        return new GuestVm(command, p, start, qemuLog);
    }

    /**
     * Waits until the console shows {@code marker}; returns the time since QEMU was started.
     *
     * @throws VmBootException if QEMU exits or the timeout passes first, with the console tail
     */
    public Duration awaitConsole(String marker, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (console().contains(marker)) {
                return Duration.ofNanos(System.nanoTime() - startNanos);
            }
            if (!process.isAlive()) {
                throw new VmBootException("QEMU exited (status " + process.exitValue() + ") before console showed '"
                        + marker + "'", this);
            }
            if (System.nanoTime() > deadline) {
                throw new VmBootException("console did not show '" + marker + "' within " + timeout, this);
            }
            Thread.sleep(POLL);
        }
    }

    /** Waits for QEMU to exit on its own (guest poweroff or panic); returns its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new VmBootException("QEMU still running after " + timeout, this);
        }
        return process.exitValue();
    }

    /** Connects to the agent channel's host socket (QEMU listens on it). */
    public SocketChannel connectAgent() throws IOException {
        return switch (command.agentChannel()) {
            case AgentChannel.VirtioSerial serial -> {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(serial.hostSocket()));
                yield ch;
            }
            case AgentChannel.Vsock vsock -> throw new UnsupportedOperationException(
                    "connecting to vsock CID " + vsock.guestCid() + " needs an AF_VSOCK socket, which the JDK "
                            + "lacks; the shim's agent client (JNA) does that, this test harness only speaks "
                            + "virtio-serial");
        };
    }

    public String console() {
        try {
            Path log = command.consoleLog();
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String qemuOutput() {
        try {
            return Files.exists(qemuLog) ? Files.readString(qemuLog) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
