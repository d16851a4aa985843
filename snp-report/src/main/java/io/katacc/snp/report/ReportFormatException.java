package io.katacc.snp.report;

/** Raised when bytes are not a well-formed ATTESTATION_REPORT; the message says which field is wrong. */
public final class ReportFormatException extends IllegalArgumentException {
    public ReportFormatException(String message) {
        super(message);
    }
}
