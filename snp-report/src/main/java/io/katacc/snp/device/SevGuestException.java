package io.katacc.snp.device;

import java.util.Optional;

/** A /dev/sev-guest or configfs-tsm request failed; carries the decoded firmware/VMM error if any. */
public final class SevGuestException extends RuntimeException {
    private final transient FirmwareError firmwareError;

    public SevGuestException(String message, FirmwareError firmwareError) {
        super(firmwareError == null ? message : message + ": " + firmwareError.describe());
        this.firmwareError = firmwareError;
    }

    public SevGuestException(String message, Throwable cause) {
        super(message, cause);
        this.firmwareError = null;
    }

    public Optional<FirmwareError> firmwareError() {
        return Optional.ofNullable(firmwareError);
    }
}
