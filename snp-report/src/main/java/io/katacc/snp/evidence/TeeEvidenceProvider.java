package io.katacc.snp.evidence;

/**
 * Source of TEE evidence for the guest agent. Implementations: {@link SevGuestEvidenceProvider}
 * (real hardware, /dev/sev-guest) and {@link SimulatedSnpEvidenceProvider} (tests and non-TEE
 * development only; its reports are signed by a throw-away key chain and prove nothing).
 */
public interface TeeEvidenceProvider {

    /**
     * A raw 1184-byte SEV-SNP ATTESTATION_REPORT whose REPORT_DATA is {@code userData64}.
     *
     * @param userData64 exactly 64 bytes chosen by the requester (e.g. a nonce or a key hash)
     * @throws IllegalArgumentException if userData64 is not 64 bytes
     * @throws EvidenceException if the report cannot be obtained
     */
    byte[] report(byte[] userData64);

    /**
     * A report with REPORT_DATA {@code userData64} plus the certificates the platform supplied with
     * it (the extended-report certificate table). This default supplies none.
     *
     * @throws IllegalArgumentException if userData64 is not 64 bytes
     * @throws EvidenceException if the report cannot be obtained
     */
    default SnpEvidence evidence(byte[] userData64) {
        return SnpEvidence.withoutCertificates(report(userData64));
    }

    /** The 32-byte HOST_DATA the VM was launched with (for Kata: SHA-256 of the policy document). */
    byte[] hostData();

    /** Short human description, e.g. "/dev/sev-guest" or "SIMULATED ...". */
    String description();

    /** True for evidence that does not come from hardware. Verifiers must never accept it as real. */
    boolean simulated();

    static byte[] checkUserData(byte[] userData64) {
        if (userData64 == null || userData64.length != 64) {
            throw new IllegalArgumentException("user data must be exactly 64 bytes, got "
                    + (userData64 == null ? "null" : userData64.length));
        }
        return userData64.clone();
    }
}
