package io.katacc.snp.evidence;

/** Evidence JSON that does not describe a report; the message names the offending field. */
public final class EvidenceFormatException extends IllegalArgumentException {
    public EvidenceFormatException(String message) {
        super(message);
    }

    public EvidenceFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
