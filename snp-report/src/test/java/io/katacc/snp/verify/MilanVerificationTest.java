package io.katacc.snp.verify;

import static org.junit.jupiter.api.Assertions.*;

import io.katacc.snp.SharedData;
import io.katacc.snp.evidence.SimulatedAmdChain;
import io.katacc.snp.report.AttestationReport;
import io.katacc.snp.report.CpuGeneration;
import io.katacc.snp.report.TcbVersion;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real Milan report from go-sev-guest's testdata against AMD's real chain. */
class MilanVerificationTest {
    private static final HexFormat HEX = HexFormat.of();
    /** Inside every certificate's validity window, so the test does not age. */
    private static final Instant AT = Instant.parse("2024-01-01T00:00:00Z");
    private static byte[] report;
    private static X509Certificate vcek;
    private static CertificateChain milan;
    private static final ReportVerifier VERIFIER = ReportVerifier.amd();
    private static final VerificationOptions OPTS = VerificationOptions.defaults().at(AT);

    @BeforeAll
    static void load() throws Exception {
        report = SharedData.read("milan-report-v2.bin");
        vcek = Certificates.parseOne(SharedData.read("milan-vcek.der"), "VCEK");
        milan = CertificateChain.parse(SharedData.read("ask_ark_milan.pem"));
    }

    @Test
    void realMilanReportVerifies() throws Exception {
        AttestationReport r = VERIFIER.verify(report, vcek, milan, OPTS);
        assertEquals(2, r.version());
        TrustedKey key = VERIFIER.trust(vcek, milan, AT);
        assertEquals(CpuGeneration.MILAN, key.generation());
        assertEquals("Milan-B0", key.extensions().productName());
        assertEquals(new TcbVersion.Parts(0, 2, 0, 5, 0x44), key.extensions().tcb());
        assertArrayEquals(r.chipId(), key.extensions().hwId().orElseThrow());
        assertFalse(key.vlek());
    }

    @Test
    void optionsThatMatchPass() throws Exception {
        AttestationReport r = AttestationReport.parse(report);
        VERIFIER.verify(report, vcek, milan, OPTS.withHostData(new byte[32]).withReportData(r.reportData())
                .withMeasurement(r.measurement()).withMinimumTcb(new TcbVersion.Parts(0, 2, 0, 5, 0x40)).withVmpl(0));
    }

    @Test
    void everyFlippedByteInTheSignedAreaIsRejected() throws Exception {
        TrustedKey key = VERIFIER.trust(vcek, milan, AT);
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        for (int i = 0; i < 0x2A0; i++) {
            byte[] b = report.clone();
            b[i] ^= 0x01;
            int at = i;
            var e = assertThrows(VerificationException.class, () -> VERIFIER.verify(b, key, OPTS),
                    () -> "flipped byte 0x" + Integer.toHexString(at) + " was accepted");
            assertNotNull(e.getMessage());
            reasons.merge(e.reason(), 1, Integer::sum);
        }
        assertTrue(Set.of(Reason.BAD_REPORT_SIGNATURE, Reason.MALFORMED_INPUT, Reason.UNSUPPORTED_ALGORITHM,
                Reason.WRONG_KEY_TYPE).containsAll(reasons.keySet()), reasons::toString);
        assertTrue(reasons.get(Reason.BAD_REPORT_SIGNATURE) > 400, reasons::toString);
    }

    @Test
    void oneTrustedKeyServesConcurrentVerifications() throws Exception {
        TrustedKey key = VERIFIER.trust(vcek, milan, AT);
        byte[] bad = report.clone();
        bad[0x90] ^= 1;
        try (var exec = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int i = 0; i < 64; i++) {
                boolean good = i % 2 == 0;
                results.add(exec.submit(() -> {
                    try {
                        VERIFIER.verify(good ? report : bad, key, OPTS);
                        return true;
                    } catch (VerificationException e) {
                        return false;
                    }
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(i % 2 == 0, results.get(i).get(), "task " + i);
            }
        }
    }

    @Test
    void flippedSignatureIsRejected() throws Exception {
        byte[] b = report.clone();
        b[0x2A0] ^= 0x01;
        assertEquals(Reason.BAD_REPORT_SIGNATURE, assertThrows(VerificationException.class,
                () -> VERIFIER.verify(b, vcek, milan, OPTS)).reason());
        byte[] pad = report.clone();
        pad[0x2A0 + 60] = 1;
        var e = assertThrows(VerificationException.class, () -> VERIFIER.verify(pad, vcek, milan, OPTS));
        assertEquals(Reason.BAD_REPORT_SIGNATURE, e.reason());
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
    }

    @Test
    void truncatedReportIsRejected() {
        for (int len : new int[] {0, 1, 0x2A0, 1183}) {
            var e = assertThrows(VerificationException.class,
                    () -> VERIFIER.verify(Arrays.copyOf(report, len), vcek, milan, OPTS));
            assertEquals(Reason.MALFORMED_INPUT, e.reason());
            assertTrue(e.getMessage().contains("1184"), e.getMessage());
        }
    }

    @Test
    void chainsOfOtherProductsAreRejected() throws Exception {
        for (String other : new String[] {"ask_ark_genoa.pem", "ask_ark_turin_vcek.pem"}) {
            CertificateChain chain = CertificateChain.parse(SharedData.read(other));
            var e = assertThrows(VerificationException.class, () -> VERIFIER.verify(report, vcek, chain, OPTS));
            assertEquals(Reason.BAD_CHAIN_SIGNATURE, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("SEV-Milan"), e.getMessage());
        }
    }

    @Test
    void milanChainIsNotTrustedUnderAnotherRoot() throws Exception {
        SimulatedAmdChain sim = SimulatedAmdChain.generate(CpuGeneration.MILAN, new TcbVersion.Parts(0, 2, 0, 5, 0x44),
                new byte[64]);
        var e = assertThrows(VerificationException.class,
                () -> new ReportVerifier(sim.roots()).verify(report, vcek, milan, OPTS));
        assertEquals(Reason.UNTRUSTED_ROOT, e.reason());
        assertTrue(e.getMessage().contains("ARK-Milan"), e.getMessage());
    }

    @Test
    void aGenoaRootMustNotVouchForAMilanVcek() throws Exception {
        // Pin the Milan ARK as if it were Genoa's: the VCEK's productName must still agree.
        CertificateChain chain = milan;
        ReportVerifier v = new ReportVerifier(AmdRootKeys.of(CpuGeneration.GENOA, chain.ark().getPublicKey()));
        var e = assertThrows(VerificationException.class, () -> v.verify(report, vcek, chain, OPTS));
        assertEquals(Reason.PRODUCT_MISMATCH, e.reason());
    }

    @Test
    void wrongVcekIsRejected() throws Exception {
        SimulatedAmdChain sim = SimulatedAmdChain.generate(CpuGeneration.MILAN, new TcbVersion.Parts(0, 2, 0, 5, 0x44),
                AttestationReport.parse(report).chipId());
        // Not signed by AMD's ASK.
        var e = assertThrows(VerificationException.class, () -> VERIFIER.verify(report, sim.vcek(), milan, OPTS));
        assertEquals(Reason.BAD_CHAIN_SIGNATURE, e.reason());
        // Even with its own chain trusted, its key did not sign this report.
        var e2 = assertThrows(VerificationException.class,
                () -> new ReportVerifier(sim.roots()).verify(report, sim.vcek(), sim.chain(), VerificationOptions.defaults()));
        assertEquals(Reason.BAD_REPORT_SIGNATURE, e2.reason());
    }

    @Test
    void expiredCertificatesAreRejected() {
        var e = assertThrows(VerificationException.class,
                () -> VERIFIER.verify(report, vcek, milan, OPTS.at(Instant.parse("2031-01-01T00:00:00Z"))));
        assertEquals(Reason.CERT_EXPIRED, e.reason());
        assertTrue(e.getMessage().contains("SEV-VCEK"), e.getMessage());
    }

    @Test
    void eachOptionNamesWhatDidNotMatch() {
        AttestationReport r = AttestationReport.parse(report);
        byte[] host = new byte[32];
        host[0] = 1;
        expect(Reason.HOST_DATA_MISMATCH, "HOST_DATA", OPTS.withHostData(host));
        expect(Reason.REPORT_DATA_MISMATCH, "REPORT_DATA", OPTS.withReportData(new byte[64]));
        expect(Reason.MEASUREMENT_MISMATCH, "MEASUREMENT", OPTS.withMeasurement(new byte[48]));
        expect(Reason.TCB_TOO_LOW, "snp=5", OPTS.withMinimumTcb(new TcbVersion.Parts(0, 2, 0, 8, 0x44)));
        expect(Reason.DEBUG_ALLOWED, "debug", OPTS.withDebugDisabled());
        expect(Reason.VMPL_MISMATCH, "VMPL", OPTS.withVmpl(1));
        assertTrue(r.policy().debug());
    }

    private static void expect(Reason reason, String text, VerificationOptions o) {
        var e = assertThrows(VerificationException.class, () -> VERIFIER.verify(report, vcek, milan, o));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void malformedCertificatesAreRejectedWithAReason() {
        var e = assertThrows(VerificationException.class, () -> Certificates.parseOne(new byte[] {1, 2, 3}, "VCEK"));
        assertEquals(Reason.MALFORMED_INPUT, e.reason());
        assertTrue(e.getMessage().startsWith("VCEK"), e.getMessage());
        var e2 = assertThrows(VerificationException.class,
                () -> CertificateChain.parse(SharedData.read("milan-vcek.der")));
        assertTrue(e2.getMessage().contains("expected 2"), e2.getMessage());
    }

    @Test
    void pinnedFingerprintsMatchTheShippedAmdRoots() throws Exception {
        for (var gen : Map.of(CpuGeneration.MILAN, "ask_ark_milan.pem", CpuGeneration.GENOA, "ask_ark_genoa.pem",
                CpuGeneration.TURIN, "ask_ark_turin_vcek.pem").entrySet()) {
            CertificateChain c = CertificateChain.parse(SharedData.read(gen.getValue()));
            assertEquals(gen.getKey(), AmdRootKeys.amd().generationOf(c.ark().getPublicKey()).orElseThrow());
            assertEquals("ARK-" + gen.getKey().productName(), ReportVerifier.cn(c.ark()));
        }
    }
}
