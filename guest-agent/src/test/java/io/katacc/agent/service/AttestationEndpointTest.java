package io.katacc.agent.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.agent.attestation.AttestationEndpoint;
import io.katacc.agent.attestation.EvidenceRequest;
import io.katacc.agent.policy.PolicyGate;
import io.katacc.agent.policy.PolicyInputShape;
import io.katacc.snp.device.CertTable;
import io.katacc.snp.evidence.EvidenceException;
import io.katacc.snp.evidence.SimulatedSnpEvidenceProvider;
import io.katacc.snp.evidence.SnpEvidence;
import io.katacc.snp.evidence.SnpEvidenceJson;
import io.katacc.snp.evidence.TeeEvidenceProvider;
import io.katacc.snp.report.AttestationReport;
import io.katacc.snp.verify.CertificateChain;
import io.katacc.snp.verify.Certificates;
import io.katacc.snp.verify.ReportVerifier;
import io.katacc.snp.verify.VerificationOptions;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AttestationEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SimulatedSnpEvidenceProvider TEE = new SimulatedSnpEvidenceProvider(hostData());

    private ScriptedEngine engine;
    private AttestationEndpoint ep;
    private HttpClient http;

    private static byte[] hostData() {
        byte[] h = new byte[32];
        h[0] = 0x42;
        return h;
    }

    @BeforeEach
    void start() throws Exception {
        engine = new ScriptedEngine("allow *");
        PolicyGate gate = new PolicyGate(engine, PolicyInputShape.UPSTREAM);
        // The same gate wiring as the agent's Main.
        ep = AttestationEndpoint.start(0, TEE, r -> gate.check("GetEvidenceRequest", r.policyInput()));
        http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        http.close();
        ep.close();
    }

    private HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ep.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static byte[] padded(byte[] b) {
        return Arrays.copyOf(b, 64);
    }

    private JsonNode lastGateInput() throws Exception {
        ScriptedEngine.Call c = engine.calls.getLast();
        assertEquals("GetEvidenceRequest", c.entry());
        return JSON.readTree(c.input());
    }

    @Test
    void rawRuntimeDataIsTheReportDataPaddedNotHashed() throws Exception {
        String nonce = "nonce-123?/ é&+";
        HttpResponse<byte[]> r = get("/aa/evidence?runtime_data=" + URLEncoder.encode(nonce, StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), text(r));
        assertEquals(Optional.of("application/octet-stream"), r.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("true"), r.headers().firstValue(AttestationEndpoint.SIMULATED_HEADER));

        JsonNode body = JSON.readTree(r.body());
        assertEquals(java.util.List.of("attestation_report", "cert_chain"), fieldNames(body));
        SnpEvidence evidence = SnpEvidenceJson.parse(r.body());
        AttestationReport report = AttestationReport.parse(evidence.report());
        assertArrayEquals(padded(nonce.getBytes(StandardCharsets.UTF_8)), report.reportData());
        // The policy sees runtime_data as sent, and that no encoding was given.
        JsonNode in = lastGateInput();
        assertEquals(nonce, in.get("runtime_data").textValue());
        assertTrue(in.get("encoding").isNull());

        // The certificates in cert_chain verify the report under the simulated root.
        X509 certs = X509.of(evidence);
        new ReportVerifier(TEE.chain().roots()).verify(evidence.report(), certs.vcek, certs.chain,
                VerificationOptions.defaults().withReportData(report.reportData()).withHostData(hostData()));
    }

    @Test
    void base64RuntimeDataIsDecodedWithOrWithoutPadding() throws Exception {
        byte[] data = new byte[64];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (255 - i * 3);
        }
        String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        HttpResponse<byte[]> r = get("/aa/evidence?runtime_data=" + b64 + "&encoding=base64");
        assertEquals(200, r.statusCode(), text(r));
        assertArrayEquals(data, AttestationReport.parse(SnpEvidenceJson.parse(r.body()).report()).reportData());
        JsonNode in = lastGateInput();
        assertEquals(b64, in.get("runtime_data").textValue());
        assertEquals("base64", in.get("encoding").textValue());

        byte[] five = {1, 2, 3, 4, 5};
        r = get("/aa/evidence?encoding=base64&runtime_data=" + Base64.getUrlEncoder().encodeToString(five)
                .replace("=", "%3D"));
        assertEquals(200, r.statusCode(), text(r));
        assertArrayEquals(padded(five), AttestationReport.parse(SnpEvidenceJson.parse(r.body()).report()).reportData());
    }

    @Test
    void badInputIs400WithTheReason() throws Exception {
        int gateCalls = engine.calls.size();
        HttpResponse<byte[]> r = get("/aa/evidence?runtime_data=" + "a".repeat(65));
        assertEquals(400, r.statusCode());
        assertEquals("Report data must be no more than 64 bytes, got 65\n", text(r));

        r = get("/aa/evidence?runtime_data=" + Base64.getUrlEncoder().encodeToString(new byte[65]) + "&encoding=base64");
        assertEquals(400, r.statusCode());
        assertEquals("Report data must be no more than 64 bytes, got 65\n", text(r));

        r = get("/aa/evidence?runtime_data=abc&encoding=hex");
        assertEquals(400, r.statusCode());
        assertTrue(text(r).startsWith("unsupported runtime_data encoding \"hex\""), text(r));

        r = get("/aa/evidence?runtime_data=***&encoding=base64");
        assertEquals(400, r.statusCode());
        assertTrue(text(r).startsWith("runtime_data is not URL-safe base64"), text(r));

        r = get("/aa/evidence?encoding=base64");
        assertEquals(400, r.statusCode());
        assertEquals("missing query parameter runtime_data\n", text(r));

        assertEquals(gateCalls, engine.calls.size(), "malformed requests never reach the policy");

        // 64 raw bytes is the limit, and an empty value is all-zero report data.
        r = get("/aa/evidence?runtime_data=" + "b".repeat(64));
        assertEquals(200, r.statusCode(), text(r));
        r = get("/aa/evidence?runtime_data");
        assertEquals(200, r.statusCode(), text(r));
        assertArrayEquals(new byte[64], AttestationReport.parse(SnpEvidenceJson.parse(r.body()).report()).reportData());
    }

    @Test
    void policyDenialIs403WithTheGateMessage() throws Exception {
        engine.replace("allow *\ndeny GetEvidenceRequest no evidence for you");
        HttpResponse<byte[]> denied = get("/aa/evidence?runtime_data=x");
        assertEquals(403, denied.statusCode());
        assertEquals("GetEvidenceRequest is blocked by policy: no evidence for you\n", text(denied));
        assertEquals("x", lastGateInput().get("runtime_data").textValue());
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertEquals(404, get("/aa/evidencex?runtime_data=x").statusCode());
        assertEquals(404, get("/aa/token?token_type=kbs").statusCode());
        HttpResponse<byte[]> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ep.port()
                + "/aa/evidence?runtime_data=x")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(405, post.statusCode());
    }

    @Test
    void evidenceFailureIs500WithTheCause() throws Exception {
        TeeEvidenceProvider broken = new TeeEvidenceProvider() {
            @Override
            public byte[] report(byte[] userData64) {
                throw new EvidenceException("SNP_GET_REPORT failed: firmware status 0x16 INVALID_PARAM");
            }

            @Override
            public byte[] hostData() {
                return new byte[32];
            }

            @Override
            public String description() {
                return "broken test device";
            }

            @Override
            public boolean simulated() {
                return false;
            }
        };
        try (AttestationEndpoint failing = AttestationEndpoint.start(0, broken, r -> { })) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + failing.port()
                    + "/aa/evidence?runtime_data=x")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(500, r.statusCode());
            assertEquals("failed to get evidence: SNP_GET_REPORT failed: firmware status 0x16 INVALID_PARAM\n", text(r));
            assertTrue(r.headers().firstValue(AttestationEndpoint.SIMULATED_HEADER).isEmpty());
        }
    }

    @Test
    void nonLoopbackCallersAre403() throws Exception {
        InetAddress external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> { try { return i.isUp() && !i.isLoopback(); } catch (java.net.SocketException e) { return false; } })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress()).findFirst().orElse(null);
        assumeTrue(external != null, "no non-loopback IPv4 address on this machine");
        try (AttestationEndpoint wide = AttestationEndpoint.start(new InetSocketAddress("0.0.0.0", 0), TEE, r -> { })) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://" + external.getHostAddress()
                    + ":" + wide.port() + "/aa/evidence?runtime_data=x")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(403, r.statusCode());
            assertTrue(text(r).startsWith("Forbidden"), text(r));
        }
    }

    @Test
    void gateInputIsValidJsonForAnyRuntimeData() throws Exception {
        String nasty = "\"},\"encoding\":\"base64\\";
        JsonNode in = JSON.readTree(new EvidenceRequest(nasty, null).policyInput());
        assertEquals(nasty, in.get("runtime_data").textValue());
        assertTrue(in.get("encoding").isNull());
    }

    private static java.util.List<String> fieldNames(JsonNode n) {
        java.util.List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private record X509(java.security.cert.X509Certificate vcek, CertificateChain chain) {
        static X509 of(SnpEvidence e) throws Exception {
            return new X509(Certificates.parseOne(e.certificate(CertTable.VCEK).orElseThrow(), "VCEK"),
                    new CertificateChain(Certificates.parseOne(e.certificate(CertTable.ASK).orElseThrow(), "ASK"),
                            Certificates.parseOne(e.certificate(CertTable.ARK).orElseThrow(), "ARK")));
        }
    }
}
