package io.katacc.shim.hypervisor.clh;

import java.io.IOException;

/** Cloud Hypervisor answered an API call with an error status. */
public final class ChApiException extends IOException {
    private final int status;

    public ChApiException(String endpoint, int status, String body) {
        super("cloud-hypervisor " + endpoint + " failed with HTTP " + status + (body.isBlank() ? "" : ": " + body.strip()));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
