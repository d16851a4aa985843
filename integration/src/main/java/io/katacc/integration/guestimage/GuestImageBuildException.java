package io.katacc.integration.guestimage;

/** The build script failed; the message carries its diagnostics. */
public final class GuestImageBuildException extends RuntimeException {
    public GuestImageBuildException(String message) {
        super(message);
    }

    public GuestImageBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
