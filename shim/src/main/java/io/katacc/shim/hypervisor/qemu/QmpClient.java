package io.katacc.shim.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * QMP over QEMU's unix socket: greeting, {@code qmp_capabilities}, then one command at a time.
 * Asynchronous events that arrive in between are kept for {@link #awaitEvent}.
 */
public final class QmpClient implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;
    private final ObjectMapper json = new ObjectMapper();
    private final ReentrantLock lock = new ReentrantLock();
    private final List<JsonNode> events = new ArrayList<>();
    private final JsonNode greeting;
    private long nextId = 1;

    private QmpClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
        this.greeting = readMessage();
        if (!greeting.has("QMP")) {
            throw new IOException("not a QMP greeting: " + greeting);
        }
        execute("qmp_capabilities", null);
    }

    public static QmpClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new QmpClient(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Retries until QEMU has created its QMP socket. */
    public static QmpClient connect(Path socket, Duration timeout, ProcessHandle qemu) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        IOException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!qemu.isAlive()) {
                throw new IOException("QEMU exited before its QMP socket " + socket + " came up");
            }
            try {
                return connect(socket);
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(20);
        }
        throw new IOException("QMP socket " + socket + " did not come up within " + timeout, last);
    }

    public JsonNode greeting() {
        return greeting;
    }

    /** Runs a command and returns its {@code return} value. */
    public JsonNode execute(String command, ObjectNode arguments) throws IOException {
        lock.lock();
        try {
            long id = nextId++;
            ObjectNode req = json.createObjectNode().put("execute", command);
            if (arguments != null) {
                req.set("arguments", arguments);
            }
            req.put("id", id);
            out.write(json.writeValueAsBytes(req));
            out.write('\n');
            out.flush();
            while (true) {
                JsonNode m = readMessage();
                if (m.has("event")) {
                    events.add(m);
                    continue;
                }
                if (m.path("id").asLong(-1) != id) {
                    throw new IOException("QMP reply for another command: " + m);
                }
                if (m.has("error")) {
                    throw new QmpException(command, m.at("/error/class").asText(), m.at("/error/desc").asText());
                }
                return m.path("return");
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for an event (already received or next to arrive) matching name and {@code data.device}. */
    public JsonNode awaitEvent(String name, String device, Duration timeout) throws IOException {
        lock.lock();
        try {
            for (var it = events.iterator(); it.hasNext(); ) {
                JsonNode e = it.next();
                if (matches(e, name, device)) {
                    it.remove();
                    return e;
                }
            }
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                // QEMU is quiet between events; a query keeps the read loop bounded by our deadline
                execute("query-status", null);
                for (var it = events.iterator(); it.hasNext(); ) {
                    JsonNode e = it.next();
                    if (matches(e, name, device)) {
                        it.remove();
                        return e;
                    }
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted waiting for QMP event " + name);
                }
            }
            throw new IOException("no QMP " + name + " event for " + device + " within " + timeout);
        } finally {
            lock.unlock();
        }
    }

    private static boolean matches(JsonNode e, String name, String device) {
        return e.path("event").asText().equals(name) && (device == null || e.at("/data/device").asText().equals(device));
    }

    private JsonNode readMessage() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("QMP connection closed");
        }
        try {
            return json.readTree(line);
        } catch (IOException e) {
            throw new IOException("QMP sent invalid JSON: " + line, e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
