package io.katacc.snp.verify;

import io.katacc.snp.report.AttestationReport;
import io.katacc.snp.report.CpuGeneration;
import io.katacc.snp.report.ReportFormatException;
import io.katacc.snp.report.ReportLayout;
import io.katacc.snp.report.SigningKey;
import io.katacc.snp.report.TcbVersion;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;

/**
 * Verifies SEV-SNP reports: the VCEK/VLEK → ASK → ARK chain (RSA-PSS, ARK pinned), the report's
 * ECDSA P-384 signature, the key's TCB and hwID against the report, and the caller's options.
 * Stateless and thread-safe.
 */
public final class ReportVerifier {
    private static final HexFormat HEX = HexFormat.of();
    private final AmdRootKeys roots;

    public ReportVerifier(AmdRootKeys roots) {
        this.roots = roots;
    }

    /** A verifier trusting AMD's published Milan, Genoa and Turin roots. */
    public static ReportVerifier amd() {
        return new ReportVerifier(AmdRootKeys.amd());
    }

    /** One-shot: check the chain, then the report. */
    public AttestationReport verify(byte[] report, X509Certificate vcek, CertificateChain chain,
            VerificationOptions options) throws VerificationException {
        return verify(report, trust(vcek, chain, options.now().orElseGet(Instant::now)), options);
    }

    /** Checks the VCEK/VLEK's chain up to a pinned ARK; reuse the result for many reports. */
    public TrustedKey trust(X509Certificate key, CertificateChain chain, Instant now) throws VerificationException {
        X509Certificate ark = chain.ark();
        X509Certificate ask = chain.ask();
        CpuGeneration rootGen = roots.generationOf(ark.getPublicKey()).orElseThrow(() -> new VerificationException(
                Reason.UNTRUSTED_ROOT, "ARK '" + cn(ark) + "' is not a pinned root (SPKI SHA-256 "
                        + AmdRootKeys.fingerprint(ark.getPublicKey()) + ")"));
        checkSigned(ark, ark, "ARK");
        checkSigned(ask, ark, "ASK");
        checkSigned(key, ask, "VCEK/VLEK");
        for (X509Certificate c : new X509Certificate[] {ark, ask, key}) {
            checkValid(c, now);
        }
        if (!(key.getPublicKey() instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 384) {
            throw new VerificationException(Reason.UNSUPPORTED_ALGORITHM,
                    "VCEK/VLEK '" + cn(key) + "' does not hold an ECDSA P-384 key");
        }
        VcekExtensions ext = VcekExtensions.of(key);
        if (ext.generation() != rootGen) {
            throw new VerificationException(Reason.PRODUCT_MISMATCH, "VCEK is for " + ext.productName()
                    + " but the chain's root is " + cn(ark) + " (" + rootGen.productName() + ")");
        }
        boolean vlek = cn(key).contains("VLEK") || ext.cspId().isPresent();
        return new TrustedKey(key, vlek, rootGen, ext);
    }

    public AttestationReport verify(byte[] raw, TrustedKey key, VerificationOptions options)
            throws VerificationException {
        AttestationReport report;
        try {
            report = AttestationReport.parse(raw);
        } catch (ReportFormatException e) {
            throw new VerificationException(Reason.MALFORMED_INPUT, "report: " + e.getMessage(), e);
        }
        check(report, Arrays.copyOf(raw, ReportLayout.SIGNED_END), key, options);
        return report;
    }

    public void verify(AttestationReport report, TrustedKey key, VerificationOptions options)
            throws VerificationException {
        check(report, report.signedBytes(), key, options);
    }

    private void check(AttestationReport r, byte[] signed, TrustedKey key, VerificationOptions opt)
            throws VerificationException {
        if (r.signatureAlgo() != ReportLayout.ALGO_ECDSA_P384_SHA384) {
            throw new VerificationException(Reason.UNSUPPORTED_ALGORITHM,
                    "SIGNATURE_ALGO is " + r.signatureAlgo() + ", only 1 (ECDSA P-384 SHA-384) is defined");
        }
        SigningKey expected = key.vlek() ? SigningKey.VLEK : SigningKey.VCEK;
        if (r.signingKey() != expected) {
            throw new VerificationException(Reason.WRONG_KEY_TYPE,
                    "report says SIGNING_KEY=" + r.signingKey() + " but the certificate is a " + expected);
        }
        var reportGen = r.cpuGeneration();
        if (reportGen.isPresent() && reportGen.get() != key.generation()) {
            throw new VerificationException(Reason.PRODUCT_MISMATCH, "report CPUID says "
                    + reportGen.get().productName() + " but the key is for " + key.generation().productName());
        }
        checkSignature(signed, r.signatureR(), r.signatureS(), key.signatureKey());
        TcbVersion.Parts reported = r.reportedTcb().decode(key.generation());
        if (!reported.equals(key.extensions().tcb())) {
            throw new VerificationException(Reason.TCB_MISMATCH,
                    "REPORTED_TCB (" + reported + ") does not match the key's TCB (" + key.extensions().tcb() + ")");
        }
        if (!key.vlek() && !r.maskChipKey()) {
            byte[] hw = key.extensions().hwId().orElseThrow(() -> new VerificationException(Reason.MALFORMED_INPUT,
                    "VCEK has no hwID extension " + VcekExtensions.HW_ID));
            // Turin VCEKs carry an 8-byte hwID: the first 8 bytes of CHIP_ID.
            byte[] chip = Arrays.copyOf(r.chipId(), key.generation() == CpuGeneration.TURIN ? 8 : 64);
            if (!Arrays.equals(hw, chip)) {
                throw new VerificationException(Reason.CHIP_ID_MISMATCH,
                        "CHIP_ID " + HEX.formatHex(chip) + " does not match the VCEK hwID " + HEX.formatHex(hw));
            }
        }
        expect(opt.hostData().orElse(null), r.hostData(), Reason.HOST_DATA_MISMATCH, "HOST_DATA");
        expect(opt.reportData().orElse(null), r.reportData(), Reason.REPORT_DATA_MISMATCH, "REPORT_DATA");
        expect(opt.measurement().orElse(null), r.measurement(), Reason.MEASUREMENT_MISMATCH, "MEASUREMENT");
        if (opt.minimumTcb().isPresent() && !reported.atLeast(opt.minimumTcb().get())) {
            throw new VerificationException(Reason.TCB_TOO_LOW,
                    "REPORTED_TCB (" + reported + ") is below the minimum (" + opt.minimumTcb().get() + ")");
        }
        if (opt.requireDebugDisabled() && r.policy().debug()) {
            throw new VerificationException(Reason.DEBUG_ALLOWED, "guest policy " + r.policy()
                    + " allows debugging (bit 19 set)");
        }
        if (opt.vmpl().isPresent() && opt.vmpl().getAsInt() != r.vmpl()) {
            throw new VerificationException(Reason.VMPL_MISMATCH,
                    "VMPL is " + r.vmpl() + ", expected " + opt.vmpl().getAsInt());
        }
    }

    private static void checkSignature(byte[] signed, byte[] rLe, byte[] sLe, ReportSignatureKey key)
            throws VerificationException {
        BigInteger r = littleEndian(rLe, "R");
        BigInteger s = littleEndian(sLe, "S");
        if (!key.verify(signed, r, s)) {
            throw new VerificationException(Reason.BAD_REPORT_SIGNATURE,
                    "report signature does not verify with the VCEK/VLEK key (bytes 0x000-0x29F altered or wrong key)");
        }
    }

    /** r and s are stored little-endian, zero-padded from 48 to 72 bytes. */
    private static BigInteger littleEndian(byte[] le, String name) throws VerificationException {
        for (int i = 48; i < le.length; i++) {
            if (le[i] != 0) {
                throw new VerificationException(Reason.BAD_REPORT_SIGNATURE,
                        "signature " + name + " has non-zero padding beyond 48 bytes");
            }
        }
        byte[] be = new byte[48];
        for (int i = 0; i < 48; i++) {
            be[i] = le[47 - i];
        }
        return new BigInteger(1, be);
    }

    private static void expect(byte[] want, byte[] got, Reason reason, String field) throws VerificationException {
        if (want != null && !Arrays.equals(want, got)) {
            throw new VerificationException(reason,
                    field + " is " + HEX.formatHex(got) + ", expected " + HEX.formatHex(want));
        }
    }

    private static void checkSigned(X509Certificate cert, X509Certificate issuer, String what)
            throws VerificationException {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new VerificationException(Reason.BAD_CHAIN_SIGNATURE, what + " '" + cn(cert) + "' is issued by '"
                    + cert.getIssuerX500Principal().getName() + "', not by '" + cn(issuer) + "'");
        }
        try {
            cert.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new VerificationException(Reason.BAD_CHAIN_SIGNATURE, what + " '" + cn(cert)
                    + "' is not signed by '" + cn(issuer) + "': " + e.getMessage(), e);
        }
    }

    private static void checkValid(X509Certificate c, Instant now) throws VerificationException {
        try {
            c.checkValidity(Date.from(now));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new VerificationException(Reason.CERT_EXPIRED, "'" + cn(c) + "' is not valid at " + now
                    + " (valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + ")", e);
        }
    }

    static String cn(X509Certificate c) {
        String dn = c.getSubjectX500Principal().getName();
        for (String part : dn.split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return dn;
    }
}
