package io.katacc.snp.report;

import static org.junit.jupiter.api.Assertions.*;

import io.katacc.snp.SharedData;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AttestationReportTest {
    private static final HexFormat HEX = HexFormat.of();
    private final byte[] milan = SharedData.read("milan-report-v2.bin");

    @Test
    void parsesMilanReportFields() {
        AttestationReport r = AttestationReport.parse(milan);
        assertEquals(2, r.version());
        assertEquals(0xB0000L, r.policy().raw());
        assertTrue(r.policy().smt());
        assertTrue(r.policy().reservedOne());
        assertTrue(r.policy().debug());
        assertFalse(r.policy().migrateMa());
        assertEquals(0, r.policy().abiMajor());
        assertEquals(1, r.signatureAlgo());
        assertEquals(SigningKey.VCEK, r.signingKey());
        assertEquals(0x4405000000000002L, r.reportedTcb().raw());
        assertEquals(new TcbVersion.Parts(0, 2, 0, 5, 0x44), r.reportedTcb().decode(CpuGeneration.MILAN));
        assertEquals(r.reportedTcb(), r.currentTcb());
        assertEquals(r.reportedTcb(), r.launchTcb());
        assertTrue(r.platformInfo().smtEnabled());
        assertFalse(r.platformInfo().tsmeEnabled());
        assertEquals("b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b"
                + "6bdf8a9ece31a5a608eb0cf2e4872b01", HEX.formatHex(r.measurement()));
        assertTrue(HEX.formatHex(r.chipId()).startsWith("3ac3fe21e13fb099"));
        assertTrue(HEX.formatHex(r.chipId()).endsWith("c5068b006b5d"));
        assertEquals("0102030405" + "00".repeat(59), HEX.formatHex(r.reportData()));
        assertArrayEquals(new byte[32], r.hostData());
        assertEquals(1, r.currentMajor());
        assertEquals(49, r.currentMinor());
        assertEquals(3, r.currentBuild());
        assertTrue(r.cpuGeneration().isEmpty(), "v2 reports carry no CPUID");
    }

    @Test
    void roundTripsByteIdentically() {
        AttestationReport r = AttestationReport.parse(milan);
        assertArrayEquals(milan, r.toBytes());
        assertArrayEquals(Arrays.copyOf(milan, 0x2A0), r.signedBytes());
        assertEquals(r, AttestationReport.parse(r.toBytes()));
    }

    @Test
    void isImmutable() {
        AttestationReport r = AttestationReport.parse(milan);
        r.measurement()[0] ^= 1;
        r.chipId()[0] ^= 1;
        assertArrayEquals(milan, r.toBytes());
    }

    @Test
    void rejectsTruncatedAndOversizedInput() {
        var e = assertThrows(ReportFormatException.class, () -> AttestationReport.parse(Arrays.copyOf(milan, 1000)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        e = assertThrows(ReportFormatException.class, () -> AttestationReport.parse(Arrays.copyOf(milan, 1185)));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        assertThrows(ReportFormatException.class, () -> AttestationReport.parse(null));
    }

    @Test
    void rejectsUnknownVersionAndNonZeroReserved() {
        byte[] b = milan.clone();
        b[0] = 9;
        assertTrue(assertThrows(ReportFormatException.class, () -> AttestationReport.parse(b)).getMessage()
                .contains("version 9"));
        byte[] c = milan.clone();
        c[0x188] = 0x19; // CPUID family does not exist in v2
        assertTrue(assertThrows(ReportFormatException.class, () -> AttestationReport.parse(c)).getMessage()
                .contains("0x188"));
        byte[] d = milan.clone();
        d[0x400] = 1;
        assertTrue(assertThrows(ReportFormatException.class, () -> AttestationReport.parse(d)).getMessage()
                .contains("0x400"));
    }

    @Test
    void version3CarriesCpuidAndVersion5MitigationVectors() {
        byte[] v3 = milan.clone();
        v3[0] = 3;
        v3[0x188] = 0x19;
        v3[0x189] = 0x11;
        v3[0x18A] = 0x01;
        AttestationReport r3 = AttestationReport.parse(v3);
        assertEquals(0x19, r3.cpuidFamily());
        assertEquals(0x11, r3.cpuidModel());
        assertEquals(1, r3.cpuidStepping());
        assertEquals(CpuGeneration.GENOA, r3.cpuGeneration().orElseThrow());
        assertArrayEquals(v3, r3.toBytes());
        byte[] v3mit = v3.clone();
        v3mit[0x1F8] = 1;
        assertThrows(ReportFormatException.class, () -> AttestationReport.parse(v3mit));

        byte[] v5 = v3.clone();
        v5[0] = 5;
        v5[0x188] = 0x1A;
        v5[0x189] = 0x02;
        v5[0x1F8] = 0x05;
        v5[0x200] = 0x07;
        AttestationReport r5 = AttestationReport.parse(v5);
        assertEquals(5, r5.launchMitVector());
        assertEquals(7, r5.currentMitVector());
        assertEquals(CpuGeneration.TURIN, r5.cpuGeneration().orElseThrow());
        assertArrayEquals(v5, r5.toBytes());
    }

    @Test
    void turinTcbLayoutDiffersFromMilan() {
        TcbVersion.Parts p = new TcbVersion.Parts(1, 2, 3, 4, 5);
        TcbVersion t = TcbVersion.encode(CpuGeneration.TURIN, p);
        assertEquals(0x0500000004030201L, t.raw());
        assertEquals(p, t.decode(CpuGeneration.TURIN));
        TcbVersion.Parts m = new TcbVersion.Parts(0, 2, 3, 4, 5);
        assertEquals(0x0504000000000302L, TcbVersion.encode(CpuGeneration.GENOA, m).raw());
        assertEquals(m, TcbVersion.encode(CpuGeneration.MILAN, m).decode(CpuGeneration.MILAN));
        assertThrows(IllegalArgumentException.class, () -> TcbVersion.encode(CpuGeneration.MILAN, p));
    }

    @Test
    void decodesPolicyAndPlatformBits() {
        GuestPolicy p = new GuestPolicy(0x0201_0000L | 1L << 19 | 1L << 20 | 0x0305);
        assertEquals(5, p.abiMinor());
        assertEquals(3, p.abiMajor());
        assertTrue(p.smt());
        assertTrue(p.debug());
        assertTrue(p.singleSocket());
        assertTrue(p.pageSwapDisable());
        assertFalse(p.ciphertextHiding());
        PlatformInfo pi = new PlatformInfo(0b110110);
        assertFalse(pi.smtEnabled());
        assertTrue(pi.tsmeEnabled());
        assertTrue(pi.eccEnabled());
        assertFalse(pi.raplDisabled());
        assertTrue(pi.ciphertextHidingEnabled());
        assertTrue(pi.aliasCheckComplete());
    }
}
