package io.katacc.ttrpc.server;

import com.google.protobuf.BytesValue;
import io.katacc.ttrpc.TestPaths;
import io.katacc.ttrpc.bench.EchoService;
import io.katacc.ttrpc.client.CallOptions;
import io.katacc.ttrpc.client.ClientStream;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.katacc.ttrpc.bench.EchoService.bytes;
import static io.katacc.ttrpc.bench.EchoService.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * ttrpc >= 1.2 streams, Java to Java: Debian's Go ttrpc is 1.1.1 (no streaming), so there is no Go peer for these.
 */
class StreamingTest {
    static final String SVC = EchoService.NAME;
    TtrpcServer server;
    TtrpcClient client;

    @BeforeEach
    void start() throws Exception {
        var address = TestPaths.socket("s.sock");
        server = TtrpcServer.start(address, EchoService.register(new ServiceRegistry())
                .stream(SVC, "Broken", BytesValue.parser(), (stream, ctx) -> {
                    stream.send(bytes("partial"));
                    throw new TtrpcException(Code.DATA_LOSS, "stream broke");
                })
                .stream(SVC, "Forever", BytesValue.parser(), (stream, ctx) -> Thread.sleep(60_000)));
        client = TtrpcClient.connect(address);
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdown(Duration.ofSeconds(1));
    }

    static List<String> drain(ClientStream<BytesValue> s) {
        List<String> out = new ArrayList<>();
        for (BytesValue v = s.receive(); v != null; v = s.receive()) {
            out.add(text(v));
        }
        return out;
    }

    @Test
    void aClientFloodingAHandlerThatDoesNotReadGetsResourceExhaustedAndTheConnectionLives() {
        try (ClientStream<BytesValue> s = client.stream(SVC, "Forever", true, null, BytesValue.parser(),
                CallOptions.timeout(Duration.ofSeconds(30)))) {
            var chunk = com.google.protobuf.BytesValue.of(com.google.protobuf.ByteString.copyFrom(new byte[1 << 20]));
            try {
                for (int i = 0; i < 24; i++) {
                    s.send(chunk); // 24 MiB the handler never reads
                }
            } catch (TtrpcException ignored) {
                // the stream may already be answered while we send
            }
            TtrpcException e = assertThrows(TtrpcException.class, () -> drain(s));
            assertEquals(Code.RESOURCE_EXHAUSTED, e.code(), e.getMessage());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("not yet read by the handler"), e.getMessage());
        }
        assertEquals("still serving", text(client.call(SVC, "Echo", bytes("still serving"), BytesValue.parser(),
                Duration.ofSeconds(10))));
    }

    @Test
    void serverStreaming() {
        try (ClientStream<BytesValue> s = client.stream(SVC, "Split", false, bytes("abc"), BytesValue.parser(),
                CallOptions.timeout(Duration.ofSeconds(10)))) {
            assertEquals(List.of("a", "b", "c"), drain(s));
            assertNull(s.receive(), "end of stream stays ended");
        }
    }

    @Test
    void clientStreaming() {
        try (ClientStream<BytesValue> s = client.stream(SVC, "Concat", true, null, BytesValue.parser(),
                CallOptions.timeout(Duration.ofSeconds(10)))) {
            for (String part : List.of("con", "tain", "erd")) {
                s.send(bytes(part));
            }
            s.closeSend();
            assertEquals(List.of("containerd"), drain(s));
        }
    }

    @Test
    void bidirectionalInterleaved() {
        try (ClientStream<BytesValue> s = client.stream(SVC, "Chat", true, null, BytesValue.parser(),
                CallOptions.DEFAULT)) {
            for (int i = 0; i < 20; i++) {
                s.send(bytes("m" + i));
                assertEquals("re:m" + i, text(s.receive()));
            }
            s.closeSend();
            assertNull(s.receive());
        }
    }

    @Test
    void errorStatusAfterData() {
        try (ClientStream<BytesValue> s = client.stream(SVC, "Broken", false, bytes(""), BytesValue.parser(),
                CallOptions.DEFAULT)) {
            assertEquals("partial", text(s.receive()));
            TtrpcException e = assertThrows(TtrpcException.class, s::receive);
            assertEquals(Code.DATA_LOSS, e.code());
            assertEquals("stream broke", e.description());
        }
    }

    @Test
    void streamDeadline() {
        try (ClientStream<BytesValue> s = client.stream(SVC, "Forever", false, bytes(""), BytesValue.parser(),
                CallOptions.timeout(Duration.ofMillis(300)))) {
            TtrpcException e = assertThrows(TtrpcException.class, s::receive);
            assertEquals(Code.DEADLINE_EXCEEDED, e.code());
        }
    }

    @Test
    void manyStreamsAndUnaryCallsShareOneConnection() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 20; t++) {
            String word = "w" + t;
            threads.add(Thread.ofVirtual().start(() -> {
                try (ClientStream<BytesValue> s = client.stream(SVC, "Split", false, bytes(word), BytesValue.parser(),
                        CallOptions.timeout(Duration.ofSeconds(20)))) {
                    List<String> got = drain(s);
                    if (!String.join("", got).equals(word)) {
                        errors.add(word + " -> " + got);
                    }
                }
                String echoed = text(client.call(SVC, "Echo", bytes(word), BytesValue.parser(), Duration.ofSeconds(20)));
                if (!echoed.equals(word)) {
                    errors.add(word + " echo " + echoed);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);
    }
}
