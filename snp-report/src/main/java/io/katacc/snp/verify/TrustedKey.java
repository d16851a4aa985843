package io.katacc.snp.verify;

import io.katacc.snp.report.CpuGeneration;
import java.security.PublicKey;
import java.security.cert.X509Certificate;

/**
 * A VCEK/VLEK whose chain up to a pinned ARK has been checked. Keep one per chip/TCB and reuse it:
 * verifying a report against a TrustedKey costs one ECDSA verification.
 */
public record TrustedKey(X509Certificate certificate, boolean vlek, CpuGeneration generation,
        VcekExtensions extensions) {

    public PublicKey publicKey() {
        return certificate.getPublicKey();
    }
}
