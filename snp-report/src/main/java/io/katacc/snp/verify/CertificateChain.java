package io.katacc.snp.verify;

import java.security.cert.X509Certificate;
import java.util.List;

/** The AMD signing chain above a VCEK/VLEK: ASK (or ASVK for VLEKs) and the self-signed ARK. */
public record CertificateChain(X509Certificate ask, X509Certificate ark) {

    /** Parses a PEM/DER bundle holding the ASK and ARK in either order (KDS cert_chain order is ASK, ARK). */
    public static CertificateChain parse(byte[] pem) throws VerificationException {
        List<X509Certificate> certs = Certificates.parseAll(pem, "ASK/ARK chain");
        if (certs.size() != 2) {
            throw new VerificationException(Reason.MALFORMED_INPUT,
                    "ASK/ARK chain: expected 2 certificates, found " + certs.size());
        }
        X509Certificate a = certs.get(0);
        X509Certificate b = certs.get(1);
        boolean aRoot = a.getSubjectX500Principal().equals(a.getIssuerX500Principal());
        boolean bRoot = b.getSubjectX500Principal().equals(b.getIssuerX500Principal());
        if (aRoot == bRoot) {
            throw new VerificationException(Reason.MALFORMED_INPUT,
                    "ASK/ARK chain: expected exactly one self-issued ARK, found " + ((aRoot ? 1 : 0) + (bRoot ? 1 : 0)));
        }
        return aRoot ? new CertificateChain(b, a) : new CertificateChain(a, b);
    }
}
