package io.katacc.ttrpc.interop;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import io.katacc.ttrpc.TestPaths;
import io.katacc.ttrpc.bench.EchoService;
import io.katacc.ttrpc.client.CallOptions;
import io.katacc.ttrpc.client.ClientOptions;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.metadata.Metadata;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.transport.UnixAddress;
import io.katacc.ttrpc.wire.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.katacc.ttrpc.bench.EchoService.bytes;
import static io.katacc.ttrpc.bench.EchoService.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our client against containerd/ttrpc's Go server (Debian's 1.1.1). */
class JavaClientGoServerTest {
    static final String SVC = EchoService.NAME;
    static final Duration T = Duration.ofSeconds(20);
    static Process server;
    static UnixAddress address;
    static TtrpcClient client;

    @BeforeAll
    static void start() throws Exception {
        address = TestPaths.socket("go.sock");
        server = GoPeers.get().serve(Path.of(address.path()));
        client = TtrpcClient.connect(address);
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    BytesValue call(String method, BytesValue req) {
        return client.call(SVC, method, req, BytesValue.parser(), T);
    }

    @Test
    void unarySuccess() {
        assertEquals("hello go", text(call("Echo", bytes("hello go"))));
    }

    @Test
    void errorStatusCarriesCodeAndMessage() {
        TtrpcException e = assertThrows(TtrpcException.class, () -> call("Fail", bytes("6:sandbox exists")));
        assertEquals(Code.ALREADY_EXISTS, e.code());
        assertEquals("sandbox exists", e.description());
    }

    @Test
    void unknownMethodIsUnimplemented() {
        TtrpcException e = assertThrows(TtrpcException.class, () -> call("NoSuch", bytes("")));
        assertEquals(Code.UNIMPLEMENTED, e.code());
        assertTrue(e.description().contains("NoSuch"), e.description());
    }

    @Test
    void deadlineIsSentAsTimeoutNano() {
        // The Go handler sleeps 5 s but returns at its context deadline: proof that timeout_nano arrived.
        long t0 = System.nanoTime();
        TtrpcException e = assertThrows(TtrpcException.class, () -> client.call(SVC, "Sleep", bytes("5s"),
                BytesValue.parser(), Duration.ofMillis(300)));
        assertEquals(Code.DEADLINE_EXCEEDED, e.code());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(4));
        assertEquals("deadline=true", text(client.call(SVC, "Meta", bytes(""), BytesValue.parser(), T)));
    }

    @Test
    void metadataReachesGo() {
        CallOptions opts = CallOptions.timeout(T).withMetadata(Metadata.of("tenant", "a").with("tenant", "b"));
        assertEquals("tenant=a,b;deadline=true", text(client.call(SVC, "Meta", bytes(""), BytesValue.parser(), opts)));
    }

    @Test
    void hundredConcurrentCalls() throws Exception {
        List<CompletableFuture<BytesValue>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(client.callAsync(SVC, "Echo", bytes("c" + i), BytesValue.parser(), CallOptions.timeout(T)));
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("c" + i, text(calls.get(i).get(30, TimeUnit.SECONDS)));
        }
    }

    @Test
    void payloadJustUnderTheLimit() {
        // Request envelope: service + method + payload field overhead stay well under 64 bytes.
        byte[] big = new byte[Frame.MAX_PAYLOAD - 64];
        Arrays.fill(big, (byte) 7);
        BytesValue back = call("Echo", BytesValue.of(ByteString.copyFrom(big)));
        assertArrayEquals(big, back.getValue().toByteArray());
    }

    @Test
    void oversizedRequestIsRefusedLocally() {
        BytesValue huge = BytesValue.of(ByteString.copyFrom(new byte[Frame.MAX_PAYLOAD + 1]));
        TtrpcException e = assertThrows(TtrpcException.class, () -> call("Echo", huge));
        assertEquals(Code.RESOURCE_EXHAUSTED, e.code());
        assertEquals("still", text(call("Echo", bytes("still"))));
    }

    @Test
    void oversizedRequestIsRejectedByGoAndConnectionSurvives() throws Exception {
        try (TtrpcClient loose = TtrpcClient.connect(address,
                ClientOptions.DEFAULT.withMaxSendPayload(Frame.MAX_PAYLOAD * 2))) {
            BytesValue huge = BytesValue.of(ByteString.copyFrom(new byte[Frame.MAX_PAYLOAD + 1000]));
            TtrpcException e = assertThrows(TtrpcException.class,
                    () -> loose.call(SVC, "Echo", huge, BytesValue.parser(), T));
            assertEquals(Code.RESOURCE_EXHAUSTED, e.code());
            assertTrue(e.description().contains("exceed"), e.description());
            assertEquals("after", text(loose.call(SVC, "Echo", bytes("after"), BytesValue.parser(), T)));
        }
    }

    @Test
    void oversizedResponseFromGoIsRejectedAndConnectionSurvives() {
        TtrpcException e = assertThrows(TtrpcException.class, () -> call("Size", bytes("5000000")));
        assertEquals(Code.RESOURCE_EXHAUSTED, e.code());
        assertEquals(4_000_000, call("Size", bytes("4000000")).getValue().size());
    }
}
