package io.katacc.shim.hypervisor.clh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class HybridVsockTest {
    /** A one-connection stand-in for the VMM's vsock muxer. */
    private static CompletableFuture<String> serveOnce(Path sock, String reply) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        CompletableFuture<String> seen = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (server; SocketChannel c = server.accept()) {
                ByteBuffer b = ByteBuffer.allocate(64);
                StringBuilder line = new StringBuilder();
                while (line.indexOf("\n") < 0) {
                    b.clear();
                    if (c.read(b) < 0) {
                        break;
                    }
                    line.append(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII));
                }
                seen.complete(line.toString());
                if (reply.isEmpty()) {
                    return; // hang up without answering
                }
                c.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.US_ASCII)));
                // echo whatever the "guest" receives
                ByteBuffer echo = ByteBuffer.allocate(64);
                if (c.read(echo) > 0) {
                    echo.flip();
                    c.write(echo);
                }
            } catch (IOException e) {
                seen.completeExceptionally(e);
            }
        });
        return seen;
    }

    @Test
    void handshakeThenStreamKeepsGuestBytes(@TempDir Path dir) throws Exception {
        // the guest's first bytes arrive in the same segment as OK: they must not be eaten by the handshake
        CompletableFuture<String> seen = serveOnce(dir.resolve("clh.sock"), "OK 1073741824\nGUEST");
        try (SocketChannel ch = HybridVsock.connect(dir.resolve("clh.sock"), 1024)) {
            assertEquals("CONNECT 1024\n", seen.get());
            ByteBuffer first = ByteBuffer.allocate(5);
            while (first.hasRemaining()) {
                assertTrue(ch.read(first) >= 0);
            }
            assertEquals("GUEST", new String(first.array(), StandardCharsets.US_ASCII));
            ch.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer back = ByteBuffer.allocate(4);
            while (back.hasRemaining()) {
                assertTrue(ch.read(back) >= 0);
            }
            assertEquals("ping", new String(back.array(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void refusalAndClosedSocketAreReported(@TempDir Path dir) throws Exception {
        serveOnce(dir.resolve("a.sock"), "ERR no listener\n");
        IOException refused = assertThrows(IOException.class, () -> HybridVsock.connect(dir.resolve("a.sock"), 1024));
        assertEquals("hybrid vsock " + dir.resolve("a.sock") + " refused CONNECT 1024: \"ERR no listener\"", refused.getMessage());

        serveOnce(dir.resolve("b.sock"), "");
        IOException closed = assertThrows(IOException.class, () -> HybridVsock.connect(dir.resolve("b.sock"), 1024));
        assertTrue(closed.getMessage().startsWith("hybrid vsock closed during handshake"), closed.getMessage());

        assertThrows(IOException.class, () -> HybridVsock.connect(dir.resolve("none.sock"), 1024));

        // a muxer that accepts but never answers must not hang the shim
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(dir.resolve("c.sock")));
            IOException timeout = assertThrows(IOException.class,
                    () -> HybridVsock.connect(dir.resolve("c.sock"), 1024, java.time.Duration.ofMillis(300)));
            assertEquals("hybrid vsock " + dir.resolve("c.sock") + " did not answer CONNECT 1024 within PT0.3S",
                    timeout.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> HybridVsock.connect(dir.resolve("a.sock"), 0));
    }
}
