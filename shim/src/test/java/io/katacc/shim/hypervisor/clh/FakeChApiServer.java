package io.katacc.shim.hypervisor.clh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/** Speaks enough of Cloud Hypervisor's HTTP API to record what the client sends. */
final class FakeChApiServer implements AutoCloseable {
    record Request(String method, String path, String contentType, String body) {
        String endpoint() {
            return method + " " + path;
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final Thread acceptor;

    FakeChApiServer(Path socket) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = Thread.ofVirtual().start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel ch = server.accept();
                    Thread.ofVirtual().start(() -> serve(ch));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            InputStream in = Channels.newInputStream(ch);
            String[] start = line(in).split(" ");
            int length = 0;
            String type = "";
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                String name = h.substring(0, h.indexOf(':')).toLowerCase(Locale.ROOT);
                String value = h.substring(h.indexOf(':') + 1).trim();
                if (name.equals("content-length")) {
                    length = Integer.parseInt(value);
                } else if (name.equals("content-type")) {
                    type = value;
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            Request r = new Request(start[0], start[1], type, body);
            requests.add(r);
            OutputStream out = Channels.newOutputStream(ch);
            out.write(respond(r).getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | RuntimeException e) {
            // a broken request shows up as a missing record in the test
        }
    }

    private static String respond(Request r) {
        return switch (r.endpoint()) {
            case "GET /api/v1/vmm.ping" -> ok(200, "{\"build_version\":\"v41.0\",\"version\":\"41.0\",\"pid\":1}");
            case "PUT /api/v1/vm.add-disk" -> ok(200, "{\"id\":\"layer0\",\"bdf\":\"0000:00:06.0\"}");
            case "PUT /api/v1/vm.remove-device" -> r.body().contains("\"missing\"")
                    ? ok(404, "Error from API: The VM could not remove the device: no such device")
                    : ok(204, "");
            default -> ok(204, "");
        };
    }

    private static String ok(int status, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 " + status + " X\r\nServer: Cloud Hypervisor API\r\nContent-Length: " + b.length + "\r\n"
                + (b.length > 0 ? "Content-Type: application/json\r\n" : "") + "\r\n" + body;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("eof");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
