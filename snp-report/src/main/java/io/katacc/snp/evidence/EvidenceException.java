package io.katacc.snp.evidence;

/** Evidence could not be produced; the message says why (device missing, firmware error, bad input). */
public final class EvidenceException extends RuntimeException {
    public EvidenceException(String message) {
        super(message);
    }

    public EvidenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
