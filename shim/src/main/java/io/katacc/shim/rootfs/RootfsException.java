package io.katacc.shim.rootfs;

import java.io.IOException;

/** The container's root filesystem cannot be given to the guest; the message says why. */
public final class RootfsException extends IOException {
    public RootfsException(String message) {
        super(message);
    }
}
