package io.katacc.snp.verify;

/** A report or certificate did not verify; {@link #reason()} classifies it, the message names what did not match. */
public final class VerificationException extends Exception {
    private final Reason reason;

    public VerificationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public VerificationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
