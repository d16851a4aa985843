package io.katacc.snp.verify;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Reads X.509 certificates from DER or PEM bytes with a clear error on garbage. */
public final class Certificates {
    private Certificates() {
    }

    public static List<X509Certificate> parseAll(byte[] derOrPem, String what) throws VerificationException {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (var c : cf.generateCertificates(new ByteArrayInputStream(derOrPem))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new VerificationException(Reason.MALFORMED_INPUT, what + ": no certificate found");
            }
            return out;
        } catch (CertificateException e) {
            throw new VerificationException(Reason.MALFORMED_INPUT, what + ": not a DER or PEM X.509 certificate ("
                    + e.getMessage() + ")", e);
        }
    }

    public static X509Certificate parseOne(byte[] derOrPem, String what) throws VerificationException {
        List<X509Certificate> all = parseAll(derOrPem, what);
        if (all.size() != 1) {
            throw new VerificationException(Reason.MALFORMED_INPUT, what + ": expected one certificate, found "
                    + all.size());
        }
        return all.getFirst();
    }
}
