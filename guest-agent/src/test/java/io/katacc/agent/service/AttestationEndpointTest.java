package io.katacc.agent.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.agent.attestation.AttestationEndpoint;
import io.katacc.agent.policy.PolicyGate;
import io.katacc.agent.policy.PolicyInputShape;
import io.katacc.snp.evidence.SimulatedSnpEvidenceProvider;
import io.katacc.snp.report.AttestationReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AttestationEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void evidenceBindsRuntimeDataAndIsPolicyGated() throws Exception {
        byte[] hostData = new byte[32];
        hostData[0] = 0x42;
        ScriptedEngine engine = new ScriptedEngine("allow *");
        PolicyGate gate = new PolicyGate(engine, PolicyInputShape.UPSTREAM);
        var tee = new SimulatedSnpEvidenceProvider(hostData);
        try (var ep = AttestationEndpoint.start(0, tee, b64 ->
                gate.check("GetEvidenceRequest", JSON.createObjectNode().put("runtime_data", b64).toString()));
             HttpClient http = HttpClient.newHttpClient()) {
            byte[] nonce = "nonce-123?/".getBytes(StandardCharsets.UTF_8);
            String q = Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ep.port()
                    + "/aa/evidence?runtime_data=" + q)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            AttestationReport report = AttestationReport.parse(Base64.getDecoder().decode(body.get("attestation_report").asText()));
            assertArrayEquals(AttestationEndpoint.sha512(nonce), report.reportData());
            assertTrue(body.get("simulated").asBoolean());
            assertEquals("GetEvidenceRequest", engine.calls.getLast().entry());

            engine.replace("allow *\ndeny GetEvidenceRequest no evidence for you");
            HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ep.port()
                    + "/aa/evidence?runtime_data=" + q)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, denied.statusCode());
            assertEquals("GetEvidenceRequest is blocked by policy: no evidence for you\n", denied.body());

            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ep.port()
                    + "/aa/evidence?runtime_data=***")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
        }
    }
}
