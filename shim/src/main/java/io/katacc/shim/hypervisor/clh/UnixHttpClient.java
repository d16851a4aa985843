package io.katacc.shim.hypervisor.clh;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Minimal HTTP/1.1 over a unix socket, one connection per request: all the Cloud Hypervisor API needs
 * (small JSON bodies, Content-Length framing). The JDK HTTP client cannot dial unix sockets.
 */
public final class UnixHttpClient {
    private static final int MAX_BODY = 1 << 20;

    private final Path socket;

    public UnixHttpClient(Path socket) {
        this.socket = socket;
    }

    public HttpResponse send(String method, String path, Optional<String> jsonBody) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(ch);
            byte[] body = jsonBody.map(b -> b.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
            StringBuilder head = new StringBuilder()
                    .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: localhost\r\n")
                    .append("Accept: application/json\r\n")
                    .append("Connection: close\r\n");
            if (jsonBody.isPresent()) {
                head.append("Content-Type: application/json\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return read(Channels.newInputStream(ch));
        }
    }

    static HttpResponse read(InputStream in) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: " + status);
        }
        int length = -1;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
                if (length < 0 || length > MAX_BODY) {
                    throw new IOException("HTTP body length out of range: " + length);
                }
            }
        }
        byte[] body = length >= 0 ? in.readNBytes(length) : in.readNBytes(MAX_BODY);
        if (length >= 0 && body.length < length) {
            throw new EOFException("HTTP body truncated: " + body.length + " of " + length + " bytes");
        }
        return new HttpResponse(code, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed in HTTP header");
            }
            if (b.size() > 8192) {
                throw new IOException("HTTP header line too long");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
