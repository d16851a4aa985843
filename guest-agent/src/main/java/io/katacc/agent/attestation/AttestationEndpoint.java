package io.katacc.agent.attestation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.katacc.agent.error.AgentException;
import io.katacc.snp.evidence.TeeEvidenceProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload-facing evidence endpoint on 127.0.0.1, shaped like CoCo guest-components' REST API:
 * {@code GET /aa/evidence?runtime_data=<url-safe base64>}. REPORT_DATA = SHA-512(runtime_data), which
 * fills the 64-byte field exactly.
 */
public final class AttestationEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AttestationEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;

    private AttestationEndpoint(HttpServer server) {
        this.server = server;
    }

    /** @param gate sees the runtime_data before any report is made; throws AgentException to refuse */
    public static AttestationEndpoint start(int port, TeeEvidenceProvider tee, Consumer<String> gate) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/aa/evidence", ex -> handle(ex, tee, gate));
        server.start();
        LOG.info("attestation endpoint on 127.0.0.1:{} tee={}", server.getAddress().getPort(), tee.description());
        return new AttestationEndpoint(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange ex, TeeEvidenceProvider tee, Consumer<String> gate) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET")) {
                reply(ex, 405, "only GET is supported");
                return;
            }
            String b64 = query(ex.getRequestURI().getRawQuery(), "runtime_data");
            if (b64 == null) {
                reply(ex, 400, "missing query parameter runtime_data");
                return;
            }
            byte[] runtimeData;
            try {
                runtimeData = Base64.getUrlDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                reply(ex, 400, "runtime_data is not url-safe base64: " + e.getMessage());
                return;
            }
            try {
                gate.accept(b64);
            } catch (AgentException e) {
                reply(ex, 403, e.getMessage());
                return;
            }
            byte[] report = tee.report(sha512(runtimeData));
            ObjectNode body = JSON.createObjectNode();
            body.put("tee", "snp");
            body.put("attestation_report", Base64.getEncoder().encodeToString(report));
            body.put("simulated", tee.simulated());
            byte[] bytes = JSON.writeValueAsBytes(body);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (RuntimeException e) {
            LOG.warn("evidence request failed", e);
            reply(ex, 500, "evidence unavailable: " + e.getMessage());
        }
    }

    private static String query(String raw, String name) {
        if (raw == null) {
            return null;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    public static byte[] sha512(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
