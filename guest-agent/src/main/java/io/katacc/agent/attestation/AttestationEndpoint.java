package io.katacc.agent.attestation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.katacc.agent.error.AgentException;
import io.katacc.snp.evidence.SnpEvidenceJson;
import io.katacc.snp.evidence.TeeEvidenceProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload-facing evidence endpoint, compatible with CoCo guest-components' api-server-rest
 * (v0.21): {@code GET /aa/evidence?runtime_data=...[&encoding=base64]} on 127.0.0.1:8006 answers
 * 200 {@code application/octet-stream} with the SNP evidence JSON ({@link SnpEvidenceJson}).
 * runtime_data is the report data itself, not hashed: its UTF-8 bytes, or URL-safe base64 with
 * {@code encoding=base64}; at most 64 bytes, zero-padded to 64 (callers such as the KBS client
 * hash their nonce themselves). Input errors are 400, a policy denial or a non-loopback caller
 * 403, evidence failures 500, each with a text body saying why.
 */
public final class AttestationEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AttestationEndpoint.class);
    public static final String PATH = "/aa/evidence";
    /** Set to {@code true} on evidence that does not come from hardware. */
    public static final String SIMULATED_HEADER = "X-Kata-CC-Simulated";
    public static final int REPORT_DATA_SIZE = 64;

    private final HttpServer server;

    private AttestationEndpoint(HttpServer server) {
        this.server = server;
    }

    /** @param gate sees each well-formed request before any report is made; throws AgentException to refuse */
    public static AttestationEndpoint start(int port, TeeEvidenceProvider tee, Consumer<EvidenceRequest> gate)
            throws IOException {
        return start(new InetSocketAddress("127.0.0.1", port), tee, gate);
    }

    /** As {@link #start(int, TeeEvidenceProvider, Consumer)} on another address; callers must still be loopback. */
    public static AttestationEndpoint start(InetSocketAddress bind, TeeEvidenceProvider tee,
            Consumer<EvidenceRequest> gate) throws IOException {
        HttpServer server = HttpServer.create(bind, 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        // One context for every path: the server's own prefix match would also take /aa/evidenceX.
        server.createContext("/", ex -> handle(ex, tee, gate));
        server.start();
        LOG.info("attestation endpoint on {} tee={}", server.getAddress(), tee.description());
        if (tee.simulated()) {
            LOG.warn("attestation endpoint serves SIMULATED evidence: no verifier may accept it as hardware evidence");
        }
        return new AttestationEndpoint(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange ex, TeeEvidenceProvider tee, Consumer<EvidenceRequest> gate)
            throws IOException {
        // The catch must answer before the exchange closes, so it sits inside the try-with-resources.
        try (ex) {
            try {
                answer(ex, tee, gate);
            } catch (RuntimeException e) {
                LOG.warn("evidence request failed", e);
                reply(ex, 500, "failed to get evidence: " + e.getMessage());
            }
        }
    }

    private static void answer(HttpExchange ex, TeeEvidenceProvider tee, Consumer<EvidenceRequest> gate)
            throws IOException {
        if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
            reply(ex, 403, "Forbidden: evidence is served to loopback callers only");
            return;
        }
        if (!ex.getRequestURI().getPath().equals(PATH)) {
            reply(ex, 404, "no such endpoint " + ex.getRequestURI().getPath() + " (this agent serves " + PATH + ")");
            return;
        }
        if (!ex.getRequestMethod().equals("GET")) {
            reply(ex, 405, ex.getRequestMethod() + " is not allowed, use GET");
            return;
        }
        EvidenceRequest request;
        byte[] reportData;
        try {
            Map<String, String> params = form(ex.getRequestURI().getRawQuery());
            String runtimeData = params.get("runtime_data");
            if (runtimeData == null) {
                reply(ex, 400, "missing query parameter runtime_data");
                return;
            }
            request = new EvidenceRequest(runtimeData, params.get("encoding"));
            reportData = reportData(request);
        } catch (IllegalArgumentException e) {
            reply(ex, 400, e.getMessage());
            return;
        }
        try {
            gate.accept(request);
        } catch (AgentException e) {
            boolean denied = e.kind() == AgentException.Kind.PERMISSION_DENIED;
            reply(ex, denied ? 403 : 500, e.getMessage());
            return;
        }
        byte[] body = SnpEvidenceJson.render(tee.evidence(reportData));
        if (tee.simulated()) {
            ex.getResponseHeaders().set(SIMULATED_HEADER, "true");
            LOG.warn("served SIMULATED evidence ({}), not hardware evidence", tee.description());
        }
        send(ex, 200, "application/octet-stream", body);
    }

    /** REPORT_DATA: the request's bytes unhashed, zero-padded at the end to 64. */
    static byte[] reportData(EvidenceRequest r) {
        byte[] data;
        if (r.encoding() == null) {
            data = r.runtimeData().getBytes(StandardCharsets.UTF_8);
        } else if (r.encoding().equals("base64")) {
            try {
                // URL-safe alphabet; padding optional (guest-components sends none).
                data = Base64.getUrlDecoder().decode(r.runtimeData());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("runtime_data is not URL-safe base64: " + e.getMessage(), e);
            }
        } else {
            throw new IllegalArgumentException("unsupported runtime_data encoding \"" + r.encoding()
                    + "\" (use encoding=base64, or no encoding for the raw UTF-8 value)");
        }
        if (data.length > REPORT_DATA_SIZE) {
            throw new IllegalArgumentException("Report data must be no more than " + REPORT_DATA_SIZE
                    + " bytes, got " + data.length);
        }
        return Arrays.copyOf(data, REPORT_DATA_SIZE);
    }

    /** application/x-www-form-urlencoded query; a repeated name keeps its last value, as upstream. */
    static Map<String, String> form(String rawQuery) {
        Map<String, String> out = new HashMap<>();
        if (rawQuery == null) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("query is not valid form-urlencoded: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        send(ex, status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
