package io.katacc.snp.evidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.katacc.snp.SharedData;
import io.katacc.snp.device.CertTable;
import io.katacc.snp.report.AttestationReport;
import io.katacc.snp.report.CpuGeneration;
import io.katacc.snp.report.GuestPolicy;
import io.katacc.snp.report.PlatformInfo;
import io.katacc.snp.report.ReportLayout;
import io.katacc.snp.report.SigningKey;
import io.katacc.snp.report.TcbVersion;
import io.katacc.snp.verify.CertificateChain;
import io.katacc.snp.verify.Certificates;
import io.katacc.snp.verify.ReportVerifier;
import io.katacc.snp.verify.VerificationOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SnpEvidenceJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** sev 6.3.x AttestationReport fields in declaration order (serde writes them in this order). */
    private static final List<String> SEV_FIELDS = List.of("version", "guest_svn", "policy", "family_id", "image_id",
            "vmpl", "sig_algo", "current_tcb", "plat_info", "key_info", "report_data", "measurement", "host_data",
            "id_key_digest", "author_key_digest", "report_id", "report_id_ma", "reported_tcb", "cpuid_fam_id",
            "cpuid_mod_id", "cpuid_step", "chip_id", "committed_tcb", "current", "committed", "launch_tcb",
            "launch_mit_vector", "current_mit_vector", "signature");
    private static final List<String> TCB_FIELDS = List.of("fmc", "bootloader", "tee", "snp", "microcode");
    private static final TcbVersion.Parts MILAN_TCB = new TcbVersion.Parts(0, 4, 0, 22, 213);
    private static final TcbVersion.Parts TURIN_TCB = new TcbVersion.Parts(3, 1, 0, 4, 0x55);

    private static SimulatedSnpEvidenceProvider simulated(CpuGeneration gen, TcbVersion.Parts tcb) {
        byte[] host = new byte[32];
        host[31] = 7;
        return new SimulatedSnpEvidenceProvider(new SimulatedSnpEvidenceProvider.Config(gen, host, new byte[48],
                SimulatedSnpEvidenceProvider.DEFAULT_POLICY, tcb, tcb, false));
    }

    private static byte[] nonce() {
        byte[] n = new byte[64];
        for (int i = 0; i < n.length; i++) {
            n[i] = (byte) (0xC0 + i);
        }
        return n;
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static byte[] bytesOf(JsonNode array) {
        byte[] b = new byte[array.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) array.get(i).intValue();
        }
        return b;
    }

    private static X509Certificate cert(SnpEvidence e, UUID guid, String what) throws Exception {
        return Certificates.parseOne(e.certificate(guid).orElseThrow(() -> new AssertionError("no " + what)), what);
    }

    @Test
    void simulatedEvidenceSurvivesTheRoundTripAndStillVerifies() throws Exception {
        for (var p : List.of(simulated(CpuGeneration.MILAN, MILAN_TCB), simulated(CpuGeneration.TURIN, TURIN_TCB))) {
            byte[] nonce = nonce();
            SnpEvidence original = p.evidence(nonce);
            byte[] json = SnpEvidenceJson.render(original);
            SnpEvidence back = SnpEvidenceJson.parse(json);
            assertArrayEquals(original.report(), back.report(), "rebuilt report bytes differ");
            assertArrayEquals(json, SnpEvidenceJson.render(back), "a second rendering differs");
            // The chain comes out of the JSON; only the simulated root is trusted.
            CertificateChain chain = new CertificateChain(cert(back, CertTable.ASK, "ASK"), cert(back, CertTable.ARK, "ARK"));
            AttestationReport r = new ReportVerifier(p.chain().roots()).verify(back.report(),
                    cert(back, CertTable.VCEK, "VCEK"), chain,
                    VerificationOptions.defaults().withReportData(nonce).withHostData(p.hostData()));
            assertEquals(p.chain().generation(), r.cpuGeneration().orElseThrow());
        }
    }

    @Test
    void renderingHasTheSevShapeForAVersion3Report() throws Exception {
        var p = simulated(CpuGeneration.MILAN, MILAN_TCB);
        SnpEvidence ev = p.evidence(nonce());
        String text = new String(SnpEvidenceJson.render(ev), StandardCharsets.UTF_8);
        assertFalse(text.contains(" ") || text.contains("\n"), "compact JSON expected");
        JsonNode root = JSON.readTree(text);
        assertEquals(List.of("attestation_report", "cert_chain"), names(root));
        JsonNode r = root.get("attestation_report");
        assertEquals(SEV_FIELDS, names(r));
        assertEquals(SEV_FIELDS, SnpEvidenceJson.reportFieldNames());
        for (var len : List.of(List.of("family_id", 16), List.of("image_id", 16), List.of("report_data", 64),
                List.of("measurement", 48), List.of("host_data", 32), List.of("id_key_digest", 48),
                List.of("author_key_digest", 48), List.of("report_id", 32), List.of("report_id_ma", 32),
                List.of("chip_id", 64))) {
            JsonNode a = r.get((String) len.get(0));
            assertTrue(a.isArray(), len.get(0) + " is not an array");
            assertEquals(len.get(1), a.size(), len.get(0) + " length");
            a.forEach(x -> assertTrue(x.isInt() && x.intValue() >= 0 && x.intValue() <= 255, len.get(0) + ": " + x));
        }
        assertArrayEquals(nonce(), bytesOf(r.get("report_data")));
        assertEquals(7, r.get("host_data").get(31).intValue());
        assertEquals(3, r.get("version").intValue());
        assertEquals(0x30000, r.get("policy").longValue());
        assertTrue(r.get("policy").isIntegralNumber() && r.get("plat_info").isIntegralNumber()
                && r.get("key_info").isIntegralNumber(), "bit fields are bare numbers");
        assertEquals(1, r.get("plat_info").intValue());
        assertEquals(0, r.get("key_info").intValue(), "VCEK-signed, no author key");
        assertEquals(1, r.get("sig_algo").intValue());
        for (String t : List.of("current_tcb", "reported_tcb", "committed_tcb", "launch_tcb")) {
            JsonNode tcb = r.get(t);
            assertEquals(TCB_FIELDS, names(tcb), t);
            assertTrue(tcb.get("fmc").isNull(), "Milan TCBs have no FMC");
            assertEquals(4, tcb.get("bootloader").intValue());
            assertEquals(0, tcb.get("tee").intValue());
            assertEquals(22, tcb.get("snp").intValue());
            assertEquals(213, tcb.get("microcode").intValue());
        }
        assertEquals(0x19, r.get("cpuid_fam_id").intValue());
        assertEquals(0x01, r.get("cpuid_mod_id").intValue());
        assertEquals(0x01, r.get("cpuid_step").intValue());
        assertEquals(List.of("major", "minor", "build"), names(r.get("current")));
        assertEquals(List.of(1, 55, 24), List.of(r.get("current").get("major").intValue(),
                r.get("current").get("minor").intValue(), r.get("current").get("build").intValue()));
        assertEquals(List.of("major", "minor", "build"), names(r.get("committed")));
        assertTrue(r.get("launch_mit_vector").isNull() && r.get("current_mit_vector").isNull(),
                "mitigation vectors are null below version 5");
        assertEquals(List.of("r", "s"), names(r.get("signature")));
        AttestationReport parsed = AttestationReport.parse(ev.report());
        assertArrayEquals(parsed.signatureR(), bytesOf(r.get("signature").get("r")));
        assertArrayEquals(parsed.signatureS(), bytesOf(r.get("signature").get("s")));

        JsonNode chain = root.get("cert_chain");
        assertEquals(3, chain.size());
        assertEquals(List.of("VCEK", "ASK", "ARK"), List.of(chain.get(0).get("cert_type").textValue(),
                chain.get(1).get("cert_type").textValue(), chain.get(2).get("cert_type").textValue()));
        assertEquals(List.of("cert_type", "data"), names(chain.get(0)));
        assertArrayEquals(p.chain().vcek().getEncoded(), bytesOf(chain.get(0).get("data")));
        assertArrayEquals(p.chain().chain().ark().getEncoded(), bytesOf(chain.get(2).get("data")));
    }

    @Test
    void turinVersion5CarriesFmcAndMitigationVectors() throws Exception {
        var p = simulated(CpuGeneration.TURIN, TURIN_TCB);
        JsonNode r = JSON.readTree(SnpEvidenceJson.render(p.evidence(new byte[64]))).get("attestation_report");
        assertEquals(5, r.get("version").intValue());
        assertEquals(0x1A, r.get("cpuid_fam_id").intValue());
        JsonNode tcb = r.get("reported_tcb");
        assertEquals(List.of(3, 1, 0, 4, 0x55), List.of(tcb.get("fmc").intValue(), tcb.get("bootloader").intValue(),
                tcb.get("tee").intValue(), tcb.get("snp").intValue(), tcb.get("microcode").intValue()));
        assertTrue(r.get("launch_mit_vector").isIntegralNumber(), "version 5 has mitigation vectors");
        assertTrue(r.get("current_mit_vector").isIntegralNumber());
    }

    @Test
    void realMilanReportRendersItsKnownValuesAndVerifiesAfterParsing() throws Exception {
        byte[] raw = SharedData.read("milan-report-v2.bin");
        byte[] vcekDer = SharedData.read("milan-vcek.der");
        byte[] json = SnpEvidenceJson.render(new SnpEvidence(raw, List.of(new CertTable.Entry(CertTable.VCEK, vcekDer))));
        JsonNode r = JSON.readTree(json).get("attestation_report");
        assertEquals(SEV_FIELDS, names(r));
        assertEquals(2, r.get("version").intValue());
        assertEquals(0xB0000L, r.get("policy").longValue());
        assertEquals(1, r.get("sig_algo").intValue());
        assertEquals(ByteBuffer.wrap(raw, 0x48, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(), r.get("key_info").intValue());
        for (String f : List.of("cpuid_fam_id", "cpuid_mod_id", "cpuid_step", "launch_mit_vector", "current_mit_vector")) {
            assertTrue(r.get(f).isNull(), f + " must be null in a version 2 report");
        }
        JsonNode tcb = r.get("reported_tcb");
        assertTrue(tcb.get("fmc").isNull());
        assertEquals(List.of(2, 0, 5, 0x44), List.of(tcb.get("bootloader").intValue(), tcb.get("tee").intValue(),
                tcb.get("snp").intValue(), tcb.get("microcode").intValue()));
        assertEquals(tcb, r.get("current_tcb"));
        assertEquals(List.of(1, 49, 3), List.of(r.get("current").get("major").intValue(),
                r.get("current").get("minor").intValue(), r.get("current").get("build").intValue()));
        assertEquals(0xb0, r.get("measurement").get(0).intValue());
        assertEquals(0x7a, r.get("measurement").get(1).intValue());
        assertEquals(0x3a, r.get("chip_id").get(0).intValue());
        byte[] reportData = new byte[64];
        System.arraycopy(new byte[] {1, 2, 3, 4, 5}, 0, reportData, 0, 5);
        assertArrayEquals(reportData, bytesOf(r.get("report_data")));

        SnpEvidence back = SnpEvidenceJson.parse(json);
        assertArrayEquals(raw, back.report());
        Instant at = Instant.parse("2024-01-01T00:00:00Z");
        ReportVerifier.amd().verify(back.report(), cert(back, CertTable.VCEK, "VCEK"),
                CertificateChain.parse(SharedData.read("ask_ark_milan.pem")), VerificationOptions.defaults().at(at));
    }

    @Test
    void noCertificatesIsNullAndOtherGuidsKeepTheirGuid() {
        byte[] raw = SharedData.read("milan-report-v2.bin");
        String none = new String(SnpEvidenceJson.render(SnpEvidence.withoutCertificates(raw)), StandardCharsets.UTF_8);
        assertTrue(none.endsWith(",\"cert_chain\":null}"), none.substring(none.length() - 40));
        assertTrue(SnpEvidenceJson.parse(none).certificates().isEmpty());

        UUID other = UUID.fromString("12345678-9abc-def0-1234-56789abcdef0");
        var entries = List.of(new CertTable.Entry(other, new byte[] {1, (byte) 200}),
                new CertTable.Entry(CertTable.VLEK, new byte[] {3}), new CertTable.Entry(CertTable.CRL, new byte[0]));
        String json = new String(SnpEvidenceJson.render(new SnpEvidence(raw, entries)), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"cert_chain\":[{\"cert_type\":{\"OTHER\":\"12345678-9abc-def0-1234-56789abcdef0\"},"
                + "\"data\":[1,200]},{\"cert_type\":\"VLEK\",\"data\":[3]},{\"cert_type\":\"CRL\",\"data\":[]}]"), json);
        SnpEvidence back = SnpEvidenceJson.parse(json);
        assertEquals(List.of(other, CertTable.VLEK, CertTable.CRL),
                back.certificates().stream().map(CertTable.Entry::guid).toList());
        assertArrayEquals(new byte[] {1, (byte) 200}, back.certificates().get(0).data());
    }

    @Test
    void version2LayoutFollowsSevsChipIdRule() {
        byte[] turinLike = new byte[64];
        turinLike[0] = 9;
        byte[] full = new byte[64];
        full[63] = 1;
        assertEquals(CpuGeneration.TURIN, SnpEvidenceJson.tcbLayout(2, 0, 0, turinLike).orElseThrow());
        assertEquals(CpuGeneration.MILAN, SnpEvidenceJson.tcbLayout(2, 0, 0, full).orElseThrow());
        assertEquals(CpuGeneration.MILAN, SnpEvidenceJson.tcbLayout(2, 0, 0, new byte[64]).orElseThrow(),
                "masked CHIP_ID: generation unknown, Milan/Genoa layout");
        assertEquals(CpuGeneration.GENOA, SnpEvidenceJson.tcbLayout(3, 0x19, 0xA0, full).orElseThrow());
        assertTrue(SnpEvidenceJson.tcbLayout(3, 0x19, 0x30, full).isEmpty());

        // A v2 report with a Turin-like CHIP_ID is written and read back with the Turin TCB layout.
        TcbVersion tcb = TcbVersion.encode(CpuGeneration.TURIN, TURIN_TCB);
        byte[] raw = unsignedV2(tcb, turinLike);
        byte[] json = SnpEvidenceJson.render(SnpEvidence.withoutCertificates(raw));
        assertEquals(3, readTree(json).get("attestation_report").get("launch_tcb").get("fmc").intValue());
        assertArrayEquals(raw, SnpEvidenceJson.parse(json).report());
    }

    private static byte[] unsignedV2(TcbVersion tcb, byte[] chipId) {
        byte[] z48 = new byte[48];
        return new AttestationReport(2, 0, new GuestPolicy(0x30000), new byte[16], new byte[16], 0, 1, tcb,
                new PlatformInfo(0), false, false, SigningKey.VCEK, new byte[64], z48, new byte[32], z48, z48,
                new byte[32], new byte[32], tcb, 0, 0, 0, chipId, tcb, 1, 2, 3, 1, 2, 3, tcb, 0, 0,
                new byte[ReportLayout.SIGNATURE_COMPONENT_SIZE], new byte[ReportLayout.SIGNATURE_COMPONENT_SIZE])
                .toBytes();
    }

    @Test
    void reportsTheShapeCannotCarryAreRefused() {
        byte[] raw = simulated(CpuGeneration.MILAN, MILAN_TCB).report(new byte[64]);
        byte[] tcbByte = raw.clone();
        tcbByte[ReportLayout.CURRENT_TCB + 2] = 1; // reserved in the Milan layout
        var e = assertThrows(EvidenceException.class,
                () -> SnpEvidenceJson.render(SnpEvidence.withoutCertificates(tcbByte)));
        assertTrue(e.getMessage().contains("CURRENT_TCB") && e.getMessage().contains("Milan"), e.getMessage());

        byte[] v4 = raw.clone();
        v4[ReportLayout.VERSION] = 4;
        v4[ReportLayout.LAUNCH_MIT_VECTOR] = 1;
        e = assertThrows(EvidenceException.class, () -> SnpEvidenceJson.render(SnpEvidence.withoutCertificates(v4)));
        assertTrue(e.getMessage().contains("version 4 carries mitigation vectors"), e.getMessage());

        byte[] unknownCpu = raw.clone();
        unknownCpu[ReportLayout.CPUID_MOD_ID] = 0x30;
        e = assertThrows(EvidenceException.class,
                () -> SnpEvidenceJson.render(SnpEvidence.withoutCertificates(unknownCpu)));
        assertTrue(e.getMessage().contains("model 0x30"), e.getMessage());
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Parses the Milan v2 evidence after {@code edit}; returns the error message. */
    private static String parseError(byte[] json, Consumer<ObjectNode> edit) {
        ObjectNode root = (ObjectNode) readTree(json);
        edit.accept(root);
        return assertThrows(EvidenceFormatException.class, () -> SnpEvidenceJson.parse(root.toString())).getMessage();
    }

    private static ObjectNode report(ObjectNode root) {
        return (ObjectNode) root.get("attestation_report");
    }

    @Test
    void malformedJsonIsRefusedNamingTheField() {
        byte[] v2 = SnpEvidenceJson.render(new SnpEvidence(SharedData.read("milan-report-v2.bin"),
                List.of(new CertTable.Entry(CertTable.VCEK, new byte[] {48}))));
        byte[] v3 = SnpEvidenceJson.render(simulated(CpuGeneration.MILAN, MILAN_TCB).evidence(new byte[64]));

        assertEquals("attestation_report.measurement is missing", parseError(v2, r -> report(r).remove("measurement")));
        assertEquals("attestation_report.measurement must hold 48 bytes, got 47",
                parseError(v2, r -> ((ArrayNode) report(r).get("measurement")).remove(0)));
        assertEquals("attestation_report.report_data[3] must be an integer 0..255, got 256",
                parseError(v2, r -> ((ArrayNode) report(r).get("report_data")).set(3, 256)));
        assertTrue(parseError(v2, r -> report(r).put("policy", 1.5)).startsWith("attestation_report.policy must be "
                + "an integer 0..18446744073709551615"));
        assertTrue(parseError(v2, r -> report(r).put("tee", "snp"))
                .startsWith("attestation_report has unknown field \"tee\""));
        assertEquals("attestation_report.cpuid_step must be null: report version 2 has no CPUID fields",
                parseError(v2, r -> report(r).put("cpuid_step", 0)));
        assertTrue(parseError(v2, r -> ((ObjectNode) report(r).get("current_tcb")).put("fmc", 1))
                .startsWith("attestation_report.current_tcb.fmc must be null: Milan TCBs have no FMC field"));
        assertTrue(parseError(v3, r -> report(r).put("launch_mit_vector", 5))
                .startsWith("attestation_report.launch_mit_vector must be null: report version 3 has no mitigation"));
        assertTrue(parseError(v3, r -> report(r).put("cpuid_mod_id", 0x30))
                .contains("model 0x30 is no generation with a known TCB layout"));
        assertEquals("attestation_report.key_info 0x20 has reserved bits (5..31) set",
                parseError(v2, r -> report(r).put("key_info", 0x20)));
        assertTrue(parseError(v2, r -> report(r).put("version", 9)).contains("version 9 is not supported"));
        assertTrue(parseError(v2, r -> ((ObjectNode) r.get("cert_chain").get(0)).put("cert_type", "PEK"))
                .startsWith("cert_chain[0].cert_type \"PEK\" is not a certificate type"));
        assertEquals("cert_chain[0].cert_type.OTHER \"nope\" is not a UUID", parseError(v2, r ->
                ((ObjectNode) r.get("cert_chain").get(0)).putObject("cert_type").put("OTHER", "nope")));
        assertEquals("evidence has unknown field \"tee\" (the sev 6.3 shape has attestation_report, cert_chain)",
                parseError(v2, r -> r.put("tee", "snp")));

        String text = new String(v2, StandardCharsets.UTF_8);
        String dup = text.replaceFirst("\"version\":2,", "\"version\":2,\"version\":2,");
        var e = assertThrows(EvidenceFormatException.class, () -> SnpEvidenceJson.parse(dup));
        assertTrue(e.getMessage().startsWith("evidence is not valid JSON") && e.getMessage().contains("version"),
                e.getMessage());
        e = assertThrows(EvidenceFormatException.class, () -> SnpEvidenceJson.parse(Arrays.copyOf(v2, 100)));
        assertTrue(e.getMessage().startsWith("evidence is not valid JSON"), e.getMessage());
        e = assertThrows(EvidenceFormatException.class, () -> SnpEvidenceJson.parse("[]"));
        assertEquals("evidence must be an object, got array", e.getMessage());
    }
}
