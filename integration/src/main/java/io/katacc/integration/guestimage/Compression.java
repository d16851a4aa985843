package io.katacc.integration.guestimage;

import java.util.Locale;

/** Initramfs compression. NONE boots faster under TCG (no in-guest gunzip); GZIP is a third the size. */
public enum Compression {
    NONE, GZIP;

    String scriptArg() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Compression parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("compression must be none or gzip, got: " + s, e);
        }
    }
}
