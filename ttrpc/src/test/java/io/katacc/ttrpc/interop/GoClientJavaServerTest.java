package io.katacc.ttrpc.interop;

import io.katacc.ttrpc.TestPaths;
import io.katacc.ttrpc.bench.EchoService;
import io.katacc.ttrpc.bench.GoPeer;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.server.TtrpcServer;
import io.katacc.ttrpc.transport.UnixAddress;
import io.katacc.ttrpc.wire.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** containerd/ttrpc's Go client (Debian's 1.1.1) against our server. */
class GoClientJavaServerTest {
    static final String AFTER_OK = "after: code=0 len=5 value=again";
    static TtrpcServer server;
    static Path socket;
    static GoPeer go;

    @BeforeAll
    static void start() throws Exception {
        go = GoPeers.get();
        UnixAddress address = TestPaths.socket("java.sock");
        socket = Path.of(address.path());
        server = TtrpcServer.start(address, EchoService.register(new ServiceRegistry()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The peer prints the result line, then the result of a follow-up Echo on the same connection. */
    static List<String> call(String... args) throws Exception {
        List<String> lines = go.run("call", socket, args);
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(AFTER_OK, lines.get(1), "connection unusable after the call");
        return lines;
    }

    @Test
    void unarySuccess() throws Exception {
        assertEquals("code=0 len=8 value=hello go", call("-value", "hello go").getFirst());
    }

    @Test
    void errorStatusCarriesCodeAndMessage() throws Exception {
        assertEquals("code=9 msg=policy denied CreateContainer",
                call("-method", "Fail", "-value", "9:policy denied CreateContainer").getFirst());
    }

    @Test
    void unknownServiceIsUnimplemented() throws Exception {
        assertEquals("code=12 msg=unknown service grpc.Nope",
                call("-service", "grpc.Nope", "-method", "X").getFirst());
    }

    @Test
    void deadlineExceededOnTheClient() throws Exception {
        String line = call("-method", "Sleep", "-value", "5s", "-timeout", "300ms").getFirst();
        assertTrue(line.startsWith("code=4 "), line);
    }

    @Test
    void serverAnswersDeadlineExceededAtTimeoutNano() throws Exception {
        // The Go client sends timeout_nano=300ms but waits without a deadline: the answer must come from us.
        assertEquals("code=4 msg=deadline exceeded for kcc.test.Echo/Sleep",
                call("-method", "Sleep", "-value", "5s", "-server-timeout", "300ms").getFirst());
    }

    @Test
    void metadataAndDeadlineReachJava() throws Exception {
        assertEquals("code=0 len=23 value=a=1,2;b=x;deadline=true",
                call("-method", "Meta", "-md", "a=1", "-md", "a=2", "-md", "b=x", "-timeout", "10s").getFirst());
    }

    @Test
    void hundredConcurrentCalls() throws Exception {
        assertEquals(List.of("concurrent ok=100 failed=0"), go.run("call", socket, "-concurrency", "100",
                "-timeout", "30s"));
    }

    @Test
    void payloadJustUnderTheLimit() throws Exception {
        int size = Frame.MAX_PAYLOAD - 64;
        assertTrue(call("-size", String.valueOf(size)).getFirst().startsWith("code=0 len=" + size + " "));
    }

    @Test
    void oversizedRequestRejectedWithResourceExhausted() throws Exception {
        // Go 1.1.1 sends oversized frames as-is; our decoder skips it and answers on its stream.
        String line = call("-size", String.valueOf(Frame.MAX_PAYLOAD + 100)).getFirst();
        assertTrue(line.startsWith("code=8 msg=message length "), line);
    }

    @Test
    void oversizedResponseBecomesResourceExhausted() throws Exception {
        String line = call("-method", "Size", "-value", "5000000").getFirst();
        assertTrue(line.startsWith("code=8 msg=response message length"), line);
    }
}
