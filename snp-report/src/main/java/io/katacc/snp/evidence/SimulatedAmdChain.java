package io.katacc.snp.evidence;

import io.katacc.snp.report.CpuGeneration;
import io.katacc.snp.report.TcbVersion;
import io.katacc.snp.verify.AmdRootKeys;
import io.katacc.snp.verify.CertificateChain;
import io.katacc.snp.verify.VcekExtensions;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away ARK → ASK → VCEK chain shaped like AMD's (RSA-PSS SHA-384 signatures, AMD VCEK
 * extensions), generated at run time. Its root is NOT an AMD key: only verifiers built with
 * {@link #roots()} accept it. RSA keys are 2048-bit (AMD uses 4096) to keep start-up fast.
 */
public final class SimulatedAmdChain {
    private static final String SUBJECT = "OU=Engineering,C=US,L=Santa Clara,ST=CA,O=SIMULATED NOT AMD,CN=";
    private final CertificateChain chain;
    private final X509Certificate vcek;
    private final PrivateKey vcekKey;
    private final CpuGeneration generation;

    private SimulatedAmdChain(CertificateChain chain, X509Certificate vcek, PrivateKey vcekKey, CpuGeneration gen) {
        this.chain = chain;
        this.vcek = vcek;
        this.vcekKey = vcekKey;
        this.generation = gen;
    }

    public static SimulatedAmdChain generate(CpuGeneration gen, TcbVersion.Parts tcb, byte[] chipId) {
        try {
            BouncyCastleProvider bc = new BouncyCastleProvider();
            SecureRandom rnd = new SecureRandom();
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048, rnd);
            KeyPair ark = rsa.generateKeyPair();
            KeyPair ask = rsa.generateKeyPair();
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp384r1"), rnd);
            KeyPair vcek = ec.generateKeyPair();
            String p = gen.productName();
            X509Certificate arkCert = cert(bc, "ARK-" + p, "ARK-" + p, ark.getPublic(), ark.getPrivate(), true, null);
            X509Certificate askCert = cert(bc, "SEV-" + p, "ARK-" + p, ask.getPublic(), ark.getPrivate(), true, null);
            X509Certificate vcekCert = cert(bc, "SEV-VCEK", "SEV-" + p, vcek.getPublic(), ask.getPrivate(), false,
                    b -> {
                        ext(b, VcekExtensions.STRUCT_VERSION, new ASN1Integer(0).getEncoded());
                        ext(b, VcekExtensions.PRODUCT_NAME, new DERIA5String(p + "-B0").getEncoded());
                        ext(b, VcekExtensions.BL_SPL, new ASN1Integer(tcb.bootLoader()).getEncoded());
                        ext(b, VcekExtensions.TEE_SPL, new ASN1Integer(tcb.tee()).getEncoded());
                        ext(b, VcekExtensions.SNP_SPL, new ASN1Integer(tcb.snp()).getEncoded());
                        ext(b, VcekExtensions.UCODE_SPL, new ASN1Integer(tcb.microcode()).getEncoded());
                        if (gen == CpuGeneration.TURIN) {
                            ext(b, VcekExtensions.FMC_SPL, new ASN1Integer(tcb.fmc()).getEncoded());
                        }
                        ext(b, VcekExtensions.HW_ID, gen == CpuGeneration.TURIN
                                ? java.util.Arrays.copyOf(chipId, 8) : chipId.clone());
                    });
            return new SimulatedAmdChain(new CertificateChain(askCert, arkCert), vcekCert, vcek.getPrivate(), gen);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new EvidenceException("cannot generate the simulated key chain: " + e.getMessage(), e);
        }
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder b) throws java.io.IOException;
    }

    private static void ext(X509v3CertificateBuilder b, String oid, byte[] value) throws java.io.IOException {
        b.addExtension(new ASN1ObjectIdentifier(oid), false, value);
    }

    private static X509Certificate cert(BouncyCastleProvider bc, String subject, String issuer, PublicKey key,
            PrivateKey signer, boolean ca, Extensions extra)
            throws OperatorCreationException, GeneralSecurityException, java.io.IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(SUBJECT + issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(365))), new X500Name(SUBJECT + subject), key);
        if (ca) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        }
        if (extra != null) {
            extra.add(b);
        }
        var signerOp = new JcaContentSignerBuilder("SHA384WITHRSAANDMGF1").setProvider(bc).build(signer);
        return new JcaX509CertificateConverter().getCertificate(b.build(signerOp));
    }

    public CertificateChain chain() {
        return chain;
    }

    public X509Certificate vcek() {
        return vcek;
    }

    PrivateKey vcekKey() {
        return vcekKey;
    }

    public CpuGeneration generation() {
        return generation;
    }

    /** Trust anchors that accept this simulated chain (and nothing else). */
    public AmdRootKeys roots() {
        return AmdRootKeys.of(generation, chain.ark().getPublicKey());
    }
}
