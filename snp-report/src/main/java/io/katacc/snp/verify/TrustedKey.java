package io.katacc.snp.verify;

import io.katacc.snp.report.CpuGeneration;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;

/**
 * A VCEK/VLEK whose chain up to a pinned ARK has been checked (made by {@link ReportVerifier#trust}).
 * Keep one per chip/TCB and reuse it: verifying a report against it costs one ECDSA verification,
 * and the prepared key keeps its precomputation between reports.
 */
public final class TrustedKey {
    private final X509Certificate certificate;
    private final boolean vlek;
    private final CpuGeneration generation;
    private final VcekExtensions extensions;
    private final ReportSignatureKey signatureKey;

    TrustedKey(X509Certificate certificate, boolean vlek, CpuGeneration generation, VcekExtensions extensions) {
        this.certificate = certificate;
        this.vlek = vlek;
        this.generation = generation;
        this.extensions = extensions;
        this.signatureKey = new ReportSignatureKey((ECPublicKey) certificate.getPublicKey());
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public boolean vlek() {
        return vlek;
    }

    public CpuGeneration generation() {
        return generation;
    }

    public VcekExtensions extensions() {
        return extensions;
    }

    ReportSignatureKey signatureKey() {
        return signatureKey;
    }
}
