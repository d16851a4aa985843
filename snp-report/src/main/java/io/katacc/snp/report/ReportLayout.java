package io.katacc.snp.report;

/** Byte offsets of ATTESTATION_REPORT (SEV-SNP ABI spec, "ATTESTATION_REPORT Structure"). */
public final class ReportLayout {
    private ReportLayout() {
    }

    public static final int SIZE = 0x4A0;
    public static final int VERSION = 0x000;
    public static final int GUEST_SVN = 0x004;
    public static final int POLICY = 0x008;
    public static final int FAMILY_ID = 0x010;
    public static final int IMAGE_ID = 0x020;
    public static final int VMPL = 0x030;
    public static final int SIGNATURE_ALGO = 0x034;
    public static final int CURRENT_TCB = 0x038;
    public static final int PLATFORM_INFO = 0x040;
    public static final int FLAGS = 0x048;
    public static final int RESERVED0 = 0x04C;
    public static final int REPORT_DATA = 0x050;
    public static final int MEASUREMENT = 0x090;
    public static final int HOST_DATA = 0x0C0;
    public static final int ID_KEY_DIGEST = 0x0E0;
    public static final int AUTHOR_KEY_DIGEST = 0x110;
    public static final int REPORT_ID = 0x140;
    public static final int REPORT_ID_MA = 0x160;
    public static final int REPORTED_TCB = 0x180;
    public static final int CPUID_FAM_ID = 0x188;
    public static final int CPUID_MOD_ID = 0x189;
    public static final int CPUID_STEP = 0x18A;
    public static final int RESERVED1 = 0x18B;
    public static final int CHIP_ID = 0x1A0;
    public static final int COMMITTED_TCB = 0x1E0;
    public static final int CURRENT_BUILD = 0x1E8;
    public static final int CURRENT_MINOR = 0x1E9;
    public static final int CURRENT_MAJOR = 0x1EA;
    public static final int COMMITTED_BUILD = 0x1EC;
    public static final int COMMITTED_MINOR = 0x1ED;
    public static final int COMMITTED_MAJOR = 0x1EE;
    public static final int LAUNCH_TCB = 0x1F0;
    public static final int LAUNCH_MIT_VECTOR = 0x1F8;
    public static final int CURRENT_MIT_VECTOR = 0x200;
    public static final int RESERVED2 = 0x208;
    /** End of the signed area: the signature covers bytes [0, SIGNED_END). */
    public static final int SIGNED_END = 0x2A0;
    public static final int SIGNATURE = 0x2A0;
    public static final int SIGNATURE_R = 0x2A0;
    public static final int SIGNATURE_S = 0x2E8;
    public static final int SIGNATURE_COMPONENT_SIZE = 72;
    public static final int SIGNATURE_RESERVED = 0x330;

    /** SIGNATURE_ALGO value for ECDSA P-384 with SHA-384, the only algorithm defined. */
    public static final int ALGO_ECDSA_P384_SHA384 = 1;
}
