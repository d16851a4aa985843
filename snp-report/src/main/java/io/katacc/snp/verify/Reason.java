package io.katacc.snp.verify;

/** What a verification failure was about; the exception message carries the detail. */
public enum Reason {
    MALFORMED_INPUT,
    UNSUPPORTED_ALGORITHM,
    BAD_REPORT_SIGNATURE,
    UNTRUSTED_ROOT,
    BAD_CHAIN_SIGNATURE,
    CERT_EXPIRED,
    PRODUCT_MISMATCH,
    WRONG_KEY_TYPE,
    TCB_MISMATCH,
    CHIP_ID_MISMATCH,
    HOST_DATA_MISMATCH,
    REPORT_DATA_MISMATCH,
    MEASUREMENT_MISMATCH,
    TCB_TOO_LOW,
    DEBUG_ALLOWED,
    VMPL_MISMATCH
}
