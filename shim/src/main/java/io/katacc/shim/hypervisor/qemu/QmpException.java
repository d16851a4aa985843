package io.katacc.shim.hypervisor.qemu;

import java.io.IOException;

/** QEMU answered a QMP command with {@code {"error": {"class": ..., "desc": ...}}}. */
public final class QmpException extends IOException {
    private final String errorClass;

    public QmpException(String command, String errorClass, String desc) {
        super("QMP " + command + " failed: " + errorClass + ": " + desc);
        this.errorClass = errorClass;
    }

    public String errorClass() {
        return errorClass;
    }
}
