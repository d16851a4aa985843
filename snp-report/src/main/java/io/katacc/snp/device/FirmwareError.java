package io.katacc.snp.device;

/**
 * Decodes the exitinfo2 a guest request returns: the low 32 bits are the SEV firmware status
 * (SEV-SNP ABI spec, "Status Codes"), the high 32 bits the hypervisor (VMM) error from the GHCB spec.
 */
public record FirmwareError(long exitinfo2) {
    public static final int VMM_ERR_INVALID_LEN = 1;
    public static final int VMM_ERR_BUSY = 2;
    public static final int VMM_ERR_GENERIC = 1 << 31;

    private static final String[] FW = {
        "SUCCESS", "INVALID_PLATFORM_STATE", "INVALID_GUEST_STATE", "INVALID_CONFIG", "INVALID_LENGTH",
        "ALREADY_OWNED", "INVALID_CERTIFICATE", "POLICY_FAILURE", "INACTIVE", "INVALID_ADDRESS", "BAD_SIGNATURE",
        "BAD_MEASUREMENT", "ASID_OWNED", "INVALID_ASID", "WBINVD_REQUIRED", "DF_FLUSH_REQUIRED", "INVALID_GUEST",
        "INVALID_COMMAND", "ACTIVE", "HWERROR_PLATFORM", "HWERROR_UNSAFE", "UNSUPPORTED", "INVALID_PARAM",
        "RESOURCE_LIMIT", "SECURE_DATA_INVALID", "INVALID_PAGE_SIZE", "INVALID_PAGE_STATE", "INVALID_MDATA_ENTRY",
        "INVALID_PAGE_OWNER", "AEAD_OFLOW", null, "RING_BUFFER_EXIT", "RMP_INIT_REQUIRED", "BAD_SVN",
        "BAD_VERSION", "SHUTDOWN_REQUIRED", "UPDATE_FAILED", "RESTORE_REQUIRED", "RMP_INITIALIZATION_FAILED",
        "INVALID_KEY"
    };

    public int firmwareStatus() {
        return (int) exitinfo2;
    }

    public int vmmError() {
        return (int) (exitinfo2 >>> 32);
    }

    public static String firmwareStatusName(int status) {
        if (status >= 0 && status < FW.length && FW[status] != null) {
            return FW[status];
        }
        return String.format("UNKNOWN_0x%x", status);
    }

    /** One line for an error message, e.g. "firmware status 0x16 INVALID_PARAM". */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        int vmm = vmmError();
        if (vmm != 0) {
            sb.append("hypervisor error ").append(switch (vmm) {
                case VMM_ERR_INVALID_LEN -> "INVALID_LEN (certificate buffer too small)";
                case VMM_ERR_BUSY -> "BUSY (request throttled, retry later)";
                case VMM_ERR_GENERIC -> "GENERIC";
                default -> String.format("0x%x", vmm);
            });
        }
        int fw = firmwareStatus();
        if (fw != 0 || vmm == 0) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(String.format("firmware status 0x%x %s", fw, firmwareStatusName(fw)));
        }
        return sb.toString();
    }
}
