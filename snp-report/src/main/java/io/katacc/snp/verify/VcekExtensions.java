package io.katacc.snp.verify;

import io.katacc.snp.report.CpuGeneration;
import io.katacc.snp.report.TcbVersion;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * AMD's X.509 extensions on a VCEK/VLEK (OID arc 1.3.6.1.4.1.3704.1): product name, the TCB the key
 * was derived for, and (VCEK only) the chip's hwID.
 */
public record VcekExtensions(String productName, TcbVersion.Parts tcb, Optional<byte[]> hwId,
        Optional<String> cspId) {

    public static final String ARC = "1.3.6.1.4.1.3704.1.";
    public static final String STRUCT_VERSION = ARC + "1";
    public static final String PRODUCT_NAME = ARC + "2";
    public static final String BL_SPL = ARC + "3.1";
    public static final String TEE_SPL = ARC + "3.2";
    public static final String SNP_SPL = ARC + "3.3";
    public static final String UCODE_SPL = ARC + "3.8";
    public static final String FMC_SPL = ARC + "3.9";
    public static final String HW_ID = ARC + "4";
    public static final String CSP_ID = ARC + "5";

    public CpuGeneration generation() {
        return CpuGeneration.fromProductName(productName);
    }

    public static VcekExtensions of(X509Certificate cert) throws VerificationException {
        String product = string(cert, PRODUCT_NAME)
                .orElseThrow(() -> malformed("VCEK has no productName extension " + PRODUCT_NAME));
        CpuGeneration gen;
        try {
            gen = CpuGeneration.fromProductName(product);
        } catch (IllegalArgumentException e) {
            throw new VerificationException(Reason.PRODUCT_MISMATCH, "VCEK productName: " + e.getMessage());
        }
        int fmc = gen == CpuGeneration.TURIN ? requiredInt(cert, FMC_SPL, "fmcSPL") : 0;
        TcbVersion.Parts tcb = new TcbVersion.Parts(fmc, requiredInt(cert, BL_SPL, "blSPL"),
                requiredInt(cert, TEE_SPL, "teeSPL"), requiredInt(cert, SNP_SPL, "snpSPL"),
                requiredInt(cert, UCODE_SPL, "ucodeSPL"));
        Optional<byte[]> hw = Optional.ofNullable(cert.getExtensionValue(HW_ID)).map(VcekExtensions::octets);
        return new VcekExtensions(product, tcb, hw, string(cert, CSP_ID));
    }

    private static int requiredInt(X509Certificate c, String oid, String name) throws VerificationException {
        byte[] v = c.getExtensionValue(oid);
        if (v == null) {
            throw malformed("VCEK has no " + name + " extension " + oid);
        }
        try {
            ASN1Primitive p = ASN1Primitive.fromByteArray(octets(v));
            if (!(p instanceof ASN1Integer i)) {
                throw malformed("VCEK " + name + " is not an INTEGER");
            }
            int n = i.intValueExact();
            if (n < 0 || n > 255) {
                throw malformed("VCEK " + name + " out of range: " + n);
            }
            return n;
        } catch (IOException | ArithmeticException e) {
            throw malformed("VCEK " + name + " is not DER: " + e.getMessage());
        }
    }

    private static Optional<String> string(X509Certificate c, String oid) throws VerificationException {
        byte[] v = c.getExtensionValue(oid);
        if (v == null) {
            return Optional.empty();
        }
        try {
            ASN1Encodable p = ASN1Primitive.fromByteArray(octets(v));
            if (p instanceof ASN1String s) {
                return Optional.of(s.getString());
            }
            throw malformed("extension " + oid + " is not a string");
        } catch (IOException e) {
            throw malformed("extension " + oid + " is not DER: " + e.getMessage());
        }
    }

    /** getExtensionValue wraps the extnValue in an OCTET STRING; unwrap it. */
    private static byte[] octets(byte[] extensionValue) {
        return ASN1OctetString.getInstance(extensionValue).getOctets();
    }

    private static VerificationException malformed(String m) {
        return new VerificationException(Reason.MALFORMED_INPUT, m);
    }
}
