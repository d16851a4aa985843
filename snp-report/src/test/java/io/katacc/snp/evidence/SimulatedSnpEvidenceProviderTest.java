package io.katacc.snp.evidence;

import static org.junit.jupiter.api.Assertions.*;

import io.katacc.snp.device.CertTable;
import io.katacc.snp.report.AttestationReport;
import io.katacc.snp.report.CpuGeneration;
import io.katacc.snp.report.TcbVersion;
import io.katacc.snp.verify.Reason;
import io.katacc.snp.verify.ReportVerifier;
import io.katacc.snp.verify.VerificationException;
import io.katacc.snp.verify.VerificationOptions;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulatedSnpEvidenceProviderTest {

    private static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void reportsVerifyAgainstTheirOwnChainOnly() throws Exception {
        byte[] host = sha256("package agent_policy\ndefault CreateContainerRequest := true\n");
        var p = new SimulatedSnpEvidenceProvider(host);
        assertTrue(p.simulated());
        assertTrue(p.description().startsWith("SIMULATED"));
        assertArrayEquals(host, p.hostData());
        byte[] nonce = new byte[64];
        nonce[5] = 42;
        byte[] raw = p.report(nonce);
        assertEquals(1184, raw.length);
        AttestationReport r = new ReportVerifier(p.chain().roots()).verify(raw, p.chain().vcek(), p.chain().chain(),
                VerificationOptions.defaults().withHostData(host).withReportData(nonce).withDebugDisabled());
        assertEquals(3, r.version());
        assertArrayEquals(nonce, r.reportData());
        // AMD's pinned roots never accept simulated evidence.
        var e = assertThrows(VerificationException.class, () -> ReportVerifier.amd().verify(raw, p.chain().vcek(),
                p.chain().chain(), VerificationOptions.defaults()));
        assertEquals(Reason.UNTRUSTED_ROOT, e.reason());
    }

    @Test
    void evidenceCarriesTheSimulatedVcekAskAndArk() throws Exception {
        var p = new SimulatedSnpEvidenceProvider(new byte[32]);
        byte[] nonce = new byte[64];
        nonce[63] = 9;
        SnpEvidence e = p.evidence(nonce);
        assertEquals(java.util.List.of(CertTable.VCEK, CertTable.ASK, CertTable.ARK),
                e.certificates().stream().map(CertTable.Entry::guid).toList());
        assertArrayEquals(p.chain().vcek().getEncoded(), e.certificate(CertTable.VCEK).orElseThrow());
        assertArrayEquals(p.chain().chain().ask().getEncoded(), e.certificate(CertTable.ASK).orElseThrow());
        assertArrayEquals(p.chain().chain().ark().getEncoded(), e.certificate(CertTable.ARK).orElseThrow());
        assertArrayEquals(nonce, AttestationReport.parse(e.report()).reportData());
    }

    @Test
    void userDataMustBe64Bytes() throws Exception {
        var p = new SimulatedSnpEvidenceProvider(new byte[32]);
        assertThrows(IllegalArgumentException.class, () -> p.report(new byte[63]));
        assertThrows(IllegalArgumentException.class, () -> p.report(null));
        assertThrows(IllegalArgumentException.class, () -> new SimulatedSnpEvidenceProvider(new byte[31]));
    }

    @Test
    void vcekWithAnotherTcbIsRejected() throws Exception {
        TcbVersion.Parts reported = new TcbVersion.Parts(0, 4, 0, 22, 213);
        TcbVersion.Parts older = new TcbVersion.Parts(0, 4, 0, 21, 213);
        var p = new SimulatedSnpEvidenceProvider(new SimulatedSnpEvidenceProvider.Config(CpuGeneration.MILAN, new byte[32], new byte[48],
                SimulatedSnpEvidenceProvider.DEFAULT_POLICY, reported, older, false));
        var e = assertThrows(VerificationException.class, () -> new ReportVerifier(p.chain().roots())
                .verify(p.report(new byte[64]), p.chain().vcek(), p.chain().chain(), VerificationOptions.defaults()));
        assertEquals(Reason.TCB_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("snp=22") && e.getMessage().contains("snp=21"), e.getMessage());
    }

    @Test
    void vcekOfAnotherChipIsRejected() throws Exception {
        TcbVersion.Parts tcb = new TcbVersion.Parts(0, 4, 0, 22, 213);
        var p = new SimulatedSnpEvidenceProvider(new SimulatedSnpEvidenceProvider.Config(CpuGeneration.MILAN, new byte[32], new byte[48],
                SimulatedSnpEvidenceProvider.DEFAULT_POLICY, tcb, tcb, true));
        var e = assertThrows(VerificationException.class, () -> new ReportVerifier(p.chain().roots())
                .verify(p.report(new byte[64]), p.chain().vcek(), p.chain().chain(), VerificationOptions.defaults()));
        assertEquals(Reason.CHIP_ID_MISMATCH, e.reason());
    }

    @Test
    void turinReportsUseTheTurinTcbLayoutAndEightByteHwId() throws Exception {
        TcbVersion.Parts tcb = new TcbVersion.Parts(3, 1, 0, 4, 0x55);
        var p = new SimulatedSnpEvidenceProvider(new SimulatedSnpEvidenceProvider.Config(CpuGeneration.TURIN,
                new byte[32], new byte[48], SimulatedSnpEvidenceProvider.DEFAULT_POLICY, tcb, tcb, false));
        byte[] raw = p.report(new byte[64]);
        var verifier = new ReportVerifier(p.chain().roots());
        AttestationReport r = verifier.verify(raw, p.chain().vcek(), p.chain().chain(), VerificationOptions.defaults());
        assertEquals(5, r.version());
        assertEquals(CpuGeneration.TURIN, r.cpuGeneration().orElseThrow());
        assertEquals(0x5500000004000103L, r.reportedTcb().raw());
        var key = verifier.trust(p.chain().vcek(), p.chain().chain(), java.time.Instant.now());
        assertEquals(tcb, key.extensions().tcb());
        assertEquals(8, key.extensions().hwId().orElseThrow().length);
        // A Turin report must not be accepted under a Milan key (CPUID says Turin).
        var milan = new SimulatedSnpEvidenceProvider(new byte[32]);
        var e = assertThrows(VerificationException.class, () -> new ReportVerifier(milan.chain().roots())
                .verify(raw, milan.chain().vcek(), milan.chain().chain(), VerificationOptions.defaults()));
        assertEquals(Reason.PRODUCT_MISMATCH, e.reason());
    }
}
