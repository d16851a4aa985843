package io.katacc.ttrpc.transport;

import com.google.protobuf.BytesValue;
import io.katacc.ttrpc.TestPaths;
import io.katacc.ttrpc.bench.EchoService;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.server.TtrpcServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.katacc.ttrpc.bench.EchoService.bytes;
import static io.katacc.ttrpc.bench.EchoService.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportTest {
    static final Duration T = Duration.ofSeconds(10);

    static String echo(TtrpcClient c, String v) {
        return text(c.call(EchoService.NAME, "Echo", bytes(v), BytesValue.parser(), T));
    }

    @Test
    void byteStreamCarriesServerAndClientRoles() throws Exception {
        // Two pipes stand in for a virtio-serial port: the guest end serves, the host end calls.
        PipedOutputStream toServer = new PipedOutputStream();
        PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 20);
        PipedOutputStream toClient = new PipedOutputStream();
        PipedInputStream clientIn = new PipedInputStream(toClient, 1 << 20);
        try (TtrpcServer server = TtrpcServer.start(ByteStreamAddress.of("guest-port", serverIn, toClient),
                EchoService.register(new ServiceRegistry()));
             TtrpcClient client = TtrpcClient.connect(ByteStreamAddress.of("host-port", clientIn, toServer))) {
            assertEquals("over serial", echo(client, "over serial"));
            assertEquals(1_000_000, client.call(EchoService.NAME, "Size", bytes("1000000"), BytesValue.parser(), T)
                    .getValue().size());
        }
    }

    @Test
    void byteStreamServerReopensThePortWhenThePeerGoes() throws Exception {
        java.util.concurrent.BlockingQueue<ByteStreamAddress.Streams> guestEnds = new java.util.concurrent.LinkedBlockingQueue<>();
        List<ByteStreamAddress> hostEnds = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            PipedOutputStream toServer = new PipedOutputStream();
            PipedOutputStream toClient = new PipedOutputStream();
            guestEnds.add(new ByteStreamAddress.Streams(new PipedInputStream(toServer, 1 << 16), toClient));
            hostEnds.add(ByteStreamAddress.of("host-" + i, new PipedInputStream(toClient, 1 << 16), toServer));
        }
        ByteStreamAddress guest = ByteStreamAddress.of("guest-port", () -> {
            ByteStreamAddress.Streams next = guestEnds.poll();
            if (next == null) {
                throw new IOException("no more test pipes");
            }
            return next;
        });
        try (TtrpcServer server = TtrpcServer.start(guest, EchoService.register(new ServiceRegistry()))) {
            try (TtrpcClient first = TtrpcClient.connect(hostEnds.get(0))) {
                assertEquals("one", echo(first, "one"));
            }
            // closing the host end ends the guest's read; the server opens the port again for the next peer
            try (TtrpcClient second = TtrpcClient.connect(hostEnds.get(1))) {
                assertEquals("two", echo(second, "two"));
            }
        }
    }

    /** A stand-in for Cloud Hypervisor's vsock muxer: reads CONNECT, replies, then splices to a unix socket. */
    static Thread fakeHybridVsock(Path muxSocket, String reply, Path target, AtomicReference<String> seen)
            throws IOException {
        ServerSocketChannel mux = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        mux.bind(UnixDomainSocketAddress.of(muxSocket));
        return Thread.ofVirtual().start(() -> {
            try (mux; SocketChannel guest = mux.accept()) {
                InputStream in = Channels.newInputStream(guest);
                StringBuilder line = new StringBuilder();
                for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
                    line.append((char) c);
                }
                seen.set(line.toString());
                guest.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.US_ASCII)));
                if (!reply.startsWith("OK")) {
                    return;
                }
                try (SocketChannel vm = SocketChannel.open(UnixDomainSocketAddress.of(target))) {
                    Thread up = Thread.ofVirtual().start(() -> copy(in, Channels.newOutputStream(vm)));
                    copy(Channels.newInputStream(vm), Channels.newOutputStream(guest));
                    up.join();
                }
            } catch (IOException | InterruptedException e) {
                // test peer gone
            }
        });
    }

    static void copy(InputStream in, OutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            // closed
        }
    }

    @Test
    void hybridVsockHandshakeThenTtrpc() throws Exception {
        UnixAddress agent = TestPaths.socket("agent.sock");
        Path mux = Path.of(TestPaths.socket("clh.vsock").path());
        AtomicReference<String> seen = new AtomicReference<>();
        try (TtrpcServer server = TtrpcServer.start(agent, EchoService.register(new ServiceRegistry()))) {
            Thread muxer = fakeHybridVsock(mux, "OK 1073741824\n", Path.of(agent.path()), seen);
            try (TtrpcClient client = TtrpcClient.connect(Address.parse("hvsock://" + mux + ":1024"))) {
                assertEquals("CONNECT 1024", seen.get());
                assertEquals("through the muxer", echo(client, "through the muxer"));
            }
            muxer.interrupt();
        }
    }

    @Test
    void hybridVsockRefusalIsAClearError() throws Exception {
        Path mux = Path.of(TestPaths.socket("clh.vsock").path());
        AtomicReference<String> seen = new AtomicReference<>();
        fakeHybridVsock(mux, "ERR no listener on port 1024\n", Path.of("/nonexistent"), seen);
        IOException e = assertThrows(IOException.class,
                () -> TtrpcClient.connect(new HybridVsockAddress(mux.toString(), 1024)));
        assertEquals("hybrid vsock handshake for port 1024 failed: expected 'OK <port>', got 'ERR no listener on port 1024'",
                e.getMessage());
    }

    @Test
    void connectingToNothingSaysWhere() throws Exception {
        UnixAddress nowhere = TestPaths.socket("none.sock");
        IOException e = assertThrows(IOException.class, () -> TtrpcClient.connect(nowhere));
        assertTrue(e.getMessage().startsWith("cannot open unix://" + nowhere.path()), e.getMessage());
    }

    @Test
    void hybridVsockCannotListen() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> TtrpcServer.start(new HybridVsockAddress("/tmp/x.vsock", 1024), new ServiceRegistry()));
        assertTrue(e.getMessage().contains("guest listens on vsock://"), e.getMessage());
    }
}
