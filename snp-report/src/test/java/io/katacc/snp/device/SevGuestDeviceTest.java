package io.katacc.snp.device;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katacc.snp.report.AttestationReport;
import io.katacc.snp.evidence.SevGuestEvidenceProvider;
import io.katacc.snp.evidence.EvidenceException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Exercises the real device only inside an SEV-SNP guest. */
class SevGuestDeviceTest {

    @Test
    void getReportFromRealDevice() {
        assumeTrue(SevGuestDevice.available(SevGuestDevice.DEFAULT_PATH),
                "/dev/sev-guest does not exist: this machine is not an SEV-SNP guest");
        byte[] nonce = new byte[64];
        nonce[0] = 0x5a;
        try (SevGuestDevice dev = SevGuestDevice.open(SevGuestDevice.DEFAULT_PATH)) {
            AttestationReport r = AttestationReport.parse(dev.getReport(nonce, 0));
            assertArrayEquals(nonce, r.reportData());
            var ext = dev.getExtendedReport(nonce, 0);
            assertEquals(1184, ext.report().length);
        }
    }

    @Test
    void missingDeviceGivesAClearError() {
        Path nowhere = Path.of("/nonexistent/sev-guest");
        var e = assertThrows(SevGuestException.class, () -> SevGuestDevice.open(nowhere));
        assertTrue(e.getMessage().contains("not an SEV-SNP guest"), e.getMessage());
        var p = new SevGuestEvidenceProvider(nowhere, Path.of("/nonexistent/tsm"), 0);
        assertFalse(p.available());
        var e2 = assertThrows(EvidenceException.class, () -> p.report(new byte[64]));
        assertTrue(e2.getMessage().contains("neither"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.report(new byte[3]));
    }

    @Test
    void configfsTsmWhereTheKernelOffersIt() {
        ConfigfsTsmReport tsm = new ConfigfsTsmReport(ConfigfsTsmReport.DEFAULT_ROOT);
        assumeTrue(tsm.available() && SevGuestDevice.available(SevGuestDevice.DEFAULT_PATH),
                "no configfs-tsm report interface backed by sev_guest here");
        var res = tsm.report(new byte[64], 0);
        assertEquals("sev_guest", res.provider());
        assertEquals(1184, res.report().length);
    }
}
