package io.katacc.snp.evidence;

import io.katacc.snp.device.CertTable;
import io.katacc.snp.report.ReportLayout;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One piece of SEV-SNP evidence: the raw signed report and the certificates the host supplied with
 * it (SNP_GET_EXT_REPORT's table; empty when it supplied none). Immutable.
 */
public record SnpEvidence(byte[] report, List<CertTable.Entry> certificates) {

    public SnpEvidence {
        if (report == null || report.length != ReportLayout.SIZE) {
            throw new IllegalArgumentException("evidence needs a " + ReportLayout.SIZE + "-byte report, got "
                    + (report == null ? "null" : report.length + " bytes"));
        }
        report = report.clone();
        certificates = List.copyOf(certificates);
    }

    public static SnpEvidence withoutCertificates(byte[] report) {
        return new SnpEvidence(report, List.of());
    }

    @Override
    public byte[] report() {
        return report.clone();
    }

    /** The DER of the first certificate with this table GUID, e.g. {@link CertTable#VCEK}. */
    public Optional<byte[]> certificate(UUID guid) {
        return certificates.stream().filter(e -> e.guid().equals(guid)).map(CertTable.Entry::data).findFirst();
    }
}
