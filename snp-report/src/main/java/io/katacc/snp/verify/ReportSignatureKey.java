package io.katacc.snp.verify;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A P-384 public key prepared for repeated ECDSA verification. Bouncy Castle keeps its window
 * precomputation on the point object, so holding one instance per VCEK makes later verifications cheaper.
 */
final class ReportSignatureKey {
    private static final X9ECParameters P384 = ECNamedCurveTable.getByName("secp384r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P384);
    private final ECPublicKeyParameters params;

    ReportSignatureKey(ECPublicKey key) {
        ECPoint q = P384.getCurve().createPoint(key.getW().getAffineX(), key.getW().getAffineY()).normalize();
        if (!q.isValid()) {
            throw new IllegalArgumentException("public key is not a point on P-384");
        }
        this.params = new ECPublicKeyParameters(q, DOMAIN);
    }

    boolean verify(byte[] message, BigInteger r, BigInteger s) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-384").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-384 missing from the JDK", e);
        }
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, params);
        return signer.verifySignature(digest, r, s);
    }
}
