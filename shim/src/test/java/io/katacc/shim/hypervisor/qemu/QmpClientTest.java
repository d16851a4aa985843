package io.katacc.shim.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class QmpClientTest {
    private final ObjectMapper json = new ObjectMapper();

    /** A QMP peer: greets, then answers each command; device_del also emits DEVICE_DELETED before its reply. */
    private List<JsonNode> fakeQmp(Path sock) throws IOException {
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        Thread.ofVirtual().start(() -> {
            try (server; SocketChannel c = server.accept()) {
                var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(c);
                send(out, "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}}, \"capabilities\": []}}");
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    JsonNode req = json.readTree(l);
                    seen.add(req);
                    String id = req.get("id").toString();
                    switch (req.path("execute").asText()) {
                        case "qmp_capabilities", "blockdev-del" -> send(out, "{\"return\": {}, \"id\": " + id + "}");
                        case "query-status" -> send(out, "{\"return\": {\"status\": \"running\", \"running\": true}, \"id\": " + id + "}");
                        case "device_del" -> {
                            send(out, "{\"event\": \"DEVICE_DELETED\", \"data\": {\"device\": \""
                                    + req.at("/arguments/id").asText() + "\"}, \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}");
                            send(out, "{\"return\": {}, \"id\": " + id + "}");
                        }
                        default -> send(out, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command "
                                + req.path("execute").asText() + " has not been found\"}, \"id\": " + id + "}");
                    }
                }
            } catch (IOException e) {
                // client went away
            }
        });
        return seen;
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void negotiatesRunsCommandsAndKeepsEvents(@TempDir Path dir) throws Exception {
        List<JsonNode> seen = fakeQmp(dir.resolve("qmp.sock"));
        try (QmpClient qmp = QmpClient.connect(dir.resolve("qmp.sock"))) {
            assertEquals(7, qmp.greeting().at("/QMP/version/qemu/major").asInt());
            assertEquals("running", qmp.execute("query-status", null).path("status").asText());
            qmp.execute("device_del", json.createObjectNode().put("id", "dev-layer0"));
            // the event came before the reply: it is kept, not lost
            assertEquals("dev-layer0", qmp.awaitEvent("DEVICE_DELETED", "dev-layer0", Duration.ofSeconds(5)).at("/data/device").asText());
            QmpException e = assertThrows(QmpException.class, () -> qmp.execute("frobnicate", null));
            assertEquals("CommandNotFound", e.errorClass());
            assertEquals("QMP frobnicate failed: CommandNotFound: The command frobnicate has not been found", e.getMessage());
            IOException none = assertThrows(IOException.class, () -> qmp.awaitEvent("DEVICE_DELETED", "dev-x", Duration.ofMillis(200)));
            assertTrue(none.getMessage().startsWith("no QMP DEVICE_DELETED event for dev-x"));
        }
        assertEquals("qmp_capabilities", seen.getFirst().path("execute").asText(), "capabilities negotiated first");
        assertEquals("dev-layer0", seen.get(2).at("/arguments/id").asText());
    }

    @Test
    void rejectsAPeerThatIsNotQmp(@TempDir Path dir) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("x.sock")));
        Thread.ofVirtual().start(() -> {
            try (server; SocketChannel c = server.accept()) {
                send(Channels.newOutputStream(c), "{\"hello\": 1}");
                Thread.sleep(1000);
            } catch (IOException | InterruptedException ignored) {
                // done
            }
        });
        IOException e = assertThrows(IOException.class, () -> QmpClient.connect(dir.resolve("x.sock")));
        assertEquals("not a QMP greeting: {\"hello\":1}", e.getMessage());
    }
}
