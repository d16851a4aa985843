package io.katacc.shim.hypervisor.clh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Hybrid vsock (Firecracker/Cloud Hypervisor): connect to the VMM's unix socket, send
 * {@code CONNECT <port>\n}, read {@code OK <host port>\n}; afterwards the socket is a byte stream to
 * the guest's vsock port. Reads the reply one byte at a time so no guest byte is consumed by us.
 */
public final class HybridVsock {
    private static final int MAX_REPLY = 64;

    private HybridVsock() {
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public static SocketChannel connect(Path socket, int port) throws IOException {
        return connect(socket, port, DEFAULT_TIMEOUT);
    }

    /** Connects and handshakes; a muxer that does not answer within {@code timeout} is an error. */
    public static SocketChannel connect(Path socket, int port, Duration timeout) throws IOException {
        if (port < 1) {
            throw new IllegalArgumentException("vsock port out of range: " + port);
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer req = ByteBuffer.wrap(("CONNECT " + port + "\n").getBytes(StandardCharsets.US_ASCII));
            while (req.hasRemaining()) {
                ch.write(req);
            }
            // blocking unix channels have no read timeout: a watchdog closes the channel instead
            var answered = new java.util.concurrent.atomic.AtomicBoolean();
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(timeout);
                    if (answered.compareAndSet(false, true)) {
                        ch.close();
                    }
                } catch (InterruptedException | IOException ignored) {
                    // handshake finished first
                }
            });
            String reply;
            try {
                reply = readLine(ch);
            } catch (java.nio.channels.AsynchronousCloseException e) {
                throw new IOException("hybrid vsock " + socket + " did not answer CONNECT " + port + " within " + timeout);
            }
            if (!answered.compareAndSet(false, true)) {
                throw new IOException("hybrid vsock " + socket + " did not answer CONNECT " + port + " within " + timeout);
            }
            watchdog.interrupt();
            if (!reply.startsWith("OK ")) {
                throw new IOException("hybrid vsock " + socket + " refused CONNECT " + port + ": \"" + reply + "\"");
            }
            try {
                Long.parseLong(reply.substring(3).trim());
            } catch (NumberFormatException e) {
                throw new IOException("hybrid vsock " + socket + " sent a malformed reply: \"" + reply + "\"");
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static String readLine(SocketChannel ch) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (ch.read(one) < 0) {
                throw new IOException("hybrid vsock closed during handshake after \""
                        + line.toString(StandardCharsets.US_ASCII) + "\" (is the guest listening?)");
            }
            byte b = one.get(0);
            if (b == '\n') {
                return line.toString(StandardCharsets.US_ASCII);
            }
            if (line.size() >= MAX_REPLY) {
                throw new IOException("hybrid vsock handshake reply too long");
            }
            line.write(b);
        }
    }
}
