package io.katacc.ttrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.BytesValue;
import io.katacc.ttrpc.bench.EchoService;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.server.TtrpcServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialPortTest {

    /**
     * A FIFO behaves like a virtio-serial port for the property that matters: opening it for reading only
     * blocks until a writer appears, so separate read and write opens hang; one read-write open does not.
     */
    @Test
    void serialAddressOpensThePortOnceReadWrite(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("agent.channel.0");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mk.waitFor());
        ByteStreamAddress address = (ByteStreamAddress) Address.parse("serial://" + fifo);

        ByteStreamAddress.Streams streams = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> address.opener().open(), "opening the serial path blocked: not opened read-write once");
        try {
            assertEquals(1, openFdsOn(fifo), "the port must be opened exactly once");
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            streams.out().write(ping);
            streams.out().flush();
            byte[] back = new byte[ping.length];
            assertEquals(ping.length, streams.in().readNBytes(back, 0, back.length));
            assertArrayEquals(ping, back, "a FIFO opened read-write reads back what was written through the same fd");
        } finally {
            streams.in().close();
            streams.out().close();
        }
        assertEquals(0, openFdsOn(fifo), "closing the streams releases the one fd");
    }

    /** A guest port reads EOF until the host connects: the stream must wait for data, not end. */
    @Test
    void eofOnThePortMeansWaitForThePeerNotEndOfStream(@TempDir Path dir) throws Exception {
        Path port = dir.resolve("port"); // a regular file at its end reads EOF, like an unconnected port
        Files.createFile(port);
        ByteStreamAddress.Streams streams = ((ByteStreamAddress) Address.parse("serial://" + port)).opener().open();
        try {
            java.util.concurrent.CompletableFuture<Integer> read = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    read.complete(streams.in().read());
                } catch (IOException e) {
                    read.completeExceptionally(e);
                }
            });
            Thread.sleep(200);
            assertFalse(read.isDone(), "read returned at EOF instead of waiting: " + read);
            Files.write(port, new byte[] {42}, java.nio.file.StandardOpenOption.APPEND);
            assertEquals(42, read.get(10, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            streams.in().close();
        }
    }

    @Test
    void missingPortIsAClearErrorAndIsNotCreated(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-port");
        ByteStreamAddress address = (ByteStreamAddress) Address.parse("serial://" + missing);
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> address.opener().open());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertFalse(Files.exists(missing), "opening a missing port must not create a regular file");
    }

    /** A guest port read returns EOF at once while no host is connected: the server must keep reopening. */
    @Test
    void serverKeepsReopeningAPortThatReadsEofUntilTheHostConnects() throws Exception {
        PipedOutputStream toServer = new PipedOutputStream();
        PipedOutputStream toClient = new PipedOutputStream();
        PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
        PipedInputStream clientIn = new PipedInputStream(toClient, 1 << 16);
        int eofOpens = 5;
        AtomicInteger opens = new AtomicInteger();
        ByteStreamAddress guest = ByteStreamAddress.of("guest-port", () -> {
            if (opens.incrementAndGet() <= eofOpens) {
                return new ByteStreamAddress.Streams(new ByteArrayInputStream(new byte[0]), OutputStream.nullOutputStream());
            }
            return new ByteStreamAddress.Streams(serverIn, toClient);
        });
        try (TtrpcServer server = TtrpcServer.start(guest, EchoService.register(new ServiceRegistry()));
             TtrpcClient client = TtrpcClient.connect(ByteStreamAddress.of("host-port", clientIn, toServer))) {
            BytesValue reply = client.call(EchoService.NAME, "Echo", EchoService.bytes("after eof"),
                    BytesValue.parser(), Duration.ofSeconds(20));
            assertEquals("after eof", EchoService.text(reply));
            assertEquals(eofOpens + 1, opens.get(), "one open per EOF, then the connected one");
        }
    }

    private static long openFdsOn(Path path) throws IOException {
        Path real = path.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
