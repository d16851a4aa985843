package io.katacc.snp.evidence;

import io.katacc.snp.device.CertTable;
import io.katacc.snp.report.AttestationReport;
import io.katacc.snp.report.CpuGeneration;
import io.katacc.snp.report.GuestPolicy;
import io.katacc.snp.report.PlatformInfo;
import io.katacc.snp.report.ReportLayout;
import io.katacc.snp.report.SigningKey;
import io.katacc.snp.report.TcbVersion;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * SIMULATED SEV-SNP evidence for tests and development on machines without SEV-SNP. Reports have the
 * real layout (version 3 for Milan/Genoa, 5 for Turin, with that CPUID) and are signed by a {@link SimulatedAmdChain} generated when
 * this provider is created; they verify only against {@link #chain()}'s own roots, never against AMD's.
 */
public final class SimulatedSnpEvidenceProvider implements TeeEvidenceProvider {
    /** SMT allowed, reserved bit 17 set, debug off: a typical production policy. */
    public static final long DEFAULT_POLICY = 0x30000L;

    private final byte[] hostData;
    private final byte[] measurement;
    private final long policy;
    private final byte[] chipId;
    private final TcbVersion tcb;
    private final SimulatedAmdChain chain;
    private final CpuGeneration generation;

    /**
     * What the simulated machine reports. {@code vcekTcb} and {@code vcekChipId} describe the VCEK the
     * chain is issued for; set them apart from the report's to simulate a stale or foreign VCEK.
     */
    public record Config(CpuGeneration generation, byte[] hostData, byte[] measurement, long policy,
            TcbVersion.Parts reportedTcb, TcbVersion.Parts vcekTcb, boolean vcekForOtherChip) {
        public Config {
            if (hostData == null || hostData.length != 32) {
                throw new IllegalArgumentException("HOST_DATA must be 32 bytes");
            }
            if (measurement == null || measurement.length != 48) {
                throw new IllegalArgumentException("MEASUREMENT must be 48 bytes");
            }
            hostData = hostData.clone();
            measurement = measurement.clone();
        }

        public static Config of(byte[] hostData32, byte[] measurement48, long policy) {
            TcbVersion.Parts tcb = new TcbVersion.Parts(0, 4, 0, 22, 213);
            return new Config(CpuGeneration.MILAN, hostData32, measurement48, policy, tcb, tcb, false);
        }
    }

    public SimulatedSnpEvidenceProvider(Config config) {
        this.hostData = config.hostData().clone();
        this.measurement = config.measurement().clone();
        this.policy = config.policy();
        SecureRandom rnd = new SecureRandom();
        this.chipId = new byte[64];
        rnd.nextBytes(chipId);
        this.generation = config.generation();
        this.tcb = TcbVersion.encode(generation, config.reportedTcb());
        byte[] vcekChip = chipId.clone();
        if (config.vcekForOtherChip()) {
            vcekChip[0] ^= 1;
        }
        this.chain = SimulatedAmdChain.generate(generation, config.vcekTcb(), vcekChip);
    }

    public SimulatedSnpEvidenceProvider(byte[] hostData32, byte[] measurement48, long policy) {
        this(Config.of(hostData32, measurement48, policy));
    }

    /** A provider with the given HOST_DATA, an all-zero measurement and {@link #DEFAULT_POLICY}. */
    public SimulatedSnpEvidenceProvider(byte[] hostData32) {
        this(hostData32, new byte[48], DEFAULT_POLICY);
    }

    @Override
    public byte[] report(byte[] userData64) {
        byte[] userData = TeeEvidenceProvider.checkUserData(userData64);
        byte[] z48 = new byte[48];
        // CPUID family/model as the real parts report them; Turin parts emit version 5 reports.
        int family = generation == CpuGeneration.TURIN ? 0x1A : 0x19;
        int model = switch (generation) {
            case MILAN -> 0x01;
            case GENOA -> 0x11;
            case TURIN -> 0x02;
        };
        AttestationReport unsigned = new AttestationReport(generation == CpuGeneration.TURIN ? 5 : 3, 0, new GuestPolicy(policy), new byte[16], new byte[16],
                0, ReportLayout.ALGO_ECDSA_P384_SHA384, tcb, new PlatformInfo(1), false, false, SigningKey.VCEK,
                userData, measurement, hostData, z48, z48, new byte[32], new byte[32], tcb, family, model, 0x01,
                chipId, tcb, 24, 55, 1, 24, 55, 1, tcb, 0, 0,
                new byte[ReportLayout.SIGNATURE_COMPONENT_SIZE], new byte[ReportLayout.SIGNATURE_COMPONENT_SIZE]);
        return sign(unsigned).toBytes();
    }

    /** The report plus the simulated VCEK, ASK and ARK, as a host would put them in the certificate table. */
    @Override
    public SnpEvidence evidence(byte[] userData64) {
        byte[] report = report(userData64);
        try {
            return new SnpEvidence(report, List.of(
                    new CertTable.Entry(CertTable.VCEK, chain.vcek().getEncoded()),
                    new CertTable.Entry(CertTable.ASK, chain.chain().ask().getEncoded()),
                    new CertTable.Entry(CertTable.ARK, chain.chain().ark().getEncoded())));
        } catch (CertificateEncodingException e) {
            throw new EvidenceException("cannot encode the simulated certificates: " + e.getMessage(), e);
        }
    }

    private AttestationReport sign(AttestationReport r) {
        try {
            Signature s = Signature.getInstance("SHA384withECDSA");
            s.initSign(chain.vcekKey());
            s.update(r.signedBytes());
            ASN1Sequence seq = ASN1Sequence.getInstance(s.sign());
            return r.withSignature(le72(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue()),
                    le72(ASN1Integer.getInstance(seq.getObjectAt(1)).getValue()));
        } catch (GeneralSecurityException e) {
            throw new EvidenceException("simulated signing failed: " + e.getMessage(), e);
        }
    }

    private static byte[] le72(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] out = new byte[ReportLayout.SIGNATURE_COMPONENT_SIZE];
        for (int i = 0; i < be.length && i < 48; i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    @Override
    public byte[] hostData() {
        return hostData.clone();
    }

    @Override
    public String description() {
        return "SIMULATED SEV-SNP (test key chain generated at run time; not hardware evidence)";
    }

    @Override
    public boolean simulated() {
        return true;
    }

    /** The simulated VCEK and chain; verify with {@code new ReportVerifier(chain().roots())}. */
    public SimulatedAmdChain chain() {
        return chain;
    }
}
