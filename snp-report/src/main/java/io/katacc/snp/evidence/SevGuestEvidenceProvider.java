package io.katacc.snp.evidence;

import io.katacc.snp.device.CertTable;
import io.katacc.snp.device.ConfigfsTsmReport;
import io.katacc.snp.device.SevGuestDevice;
import io.katacc.snp.device.SevGuestException;
import io.katacc.snp.report.AttestationReport;
import io.katacc.snp.report.ReportFormatException;
import java.nio.file.Path;
import java.util.List;

/**
 * Real SEV-SNP evidence from inside a guest: /dev/sev-guest SNP_GET_REPORT, or configfs-tsm when the
 * device node is absent but the kernel offers /sys/kernel/config/tsm/report.
 */
public final class SevGuestEvidenceProvider implements TeeEvidenceProvider {
    private final Path device;
    private final ConfigfsTsmReport tsm;
    private final int vmpl;
    private volatile byte[] hostData;

    public SevGuestEvidenceProvider(Path device, Path tsmRoot, int vmpl) {
        this.device = device;
        this.tsm = new ConfigfsTsmReport(tsmRoot);
        this.vmpl = vmpl;
    }

    public SevGuestEvidenceProvider() {
        this(SevGuestDevice.DEFAULT_PATH, ConfigfsTsmReport.DEFAULT_ROOT, 0);
    }

    /** True if either interface is present on this machine. */
    public boolean available() {
        return SevGuestDevice.available(device) || tsm.available();
    }

    @Override
    public byte[] report(byte[] userData64) {
        byte[] userData = TeeEvidenceProvider.checkUserData(userData64);
        try {
            if (SevGuestDevice.available(device)) {
                try (SevGuestDevice dev = SevGuestDevice.open(device)) {
                    return dev.getReport(userData, vmpl);
                }
            }
            if (tsm.available()) {
                return tsm.report(userData, vmpl).report();
            }
        } catch (SevGuestException e) {
            throw new EvidenceException(e.getMessage(), e);
        }
        throw new EvidenceException("no SEV-SNP guest interface: neither " + device + " nor "
                + ConfigfsTsmReport.DEFAULT_ROOT + " exists (not running in an SEV-SNP VM?)");
    }

    /**
     * SNP_GET_EXT_REPORT (or configfs-tsm's auxblob): the report plus the certificate table the host
     * supplied, empty when it supplied none. A host that does not serve extended requests still gets
     * a plain report: the verifier can fetch the VCEK from AMD itself.
     */
    @Override
    public SnpEvidence evidence(byte[] userData64) {
        byte[] userData = TeeEvidenceProvider.checkUserData(userData64);
        try {
            if (SevGuestDevice.available(device)) {
                try (SevGuestDevice dev = SevGuestDevice.open(device)) {
                    SevGuestDevice.ExtendedReport ext;
                    try {
                        ext = dev.getExtendedReport(userData, vmpl);
                    } catch (SevGuestException extended) {
                        try {
                            return SnpEvidence.withoutCertificates(dev.getReport(userData, vmpl));
                        } catch (SevGuestException plain) {
                            plain.addSuppressed(extended);
                            throw plain;
                        }
                    }
                    return new SnpEvidence(ext.report(), ext.certs().entries());
                }
            }
            if (tsm.available()) {
                ConfigfsTsmReport.Result r = tsm.report(userData, vmpl);
                return new SnpEvidence(r.report(), r.auxblob().map(CertTable::parse).map(CertTable::entries)
                        .orElse(List.of()));
            }
        } catch (SevGuestException e) {
            throw new EvidenceException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // A malformed certificate table or report size comes from the host or the kernel, not the caller.
            throw new EvidenceException("the platform returned unusable evidence: " + e.getMessage(), e);
        }
        throw new EvidenceException("no SEV-SNP guest interface: neither " + device + " nor "
                + ConfigfsTsmReport.DEFAULT_ROOT + " exists (not running in an SEV-SNP VM?)");
    }

    @Override
    public byte[] hostData() {
        byte[] h = hostData;
        if (h == null) {
            // HOST_DATA is fixed at launch, so one report is enough.
            try {
                h = AttestationReport.parse(report(new byte[64])).hostData();
            } catch (ReportFormatException e) {
                throw new EvidenceException("the firmware returned a malformed report: " + e.getMessage(), e);
            }
            hostData = h;
        }
        return h.clone();
    }

    @Override
    public String description() {
        return SevGuestDevice.available(device) ? device.toString() : "configfs-tsm " + ConfigfsTsmReport.DEFAULT_ROOT;
    }

    @Override
    public boolean simulated() {
        return false;
    }
}
