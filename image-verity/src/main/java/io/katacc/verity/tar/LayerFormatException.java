package io.katacc.verity.tar;

import java.io.IOException;

/** The layer tar is malformed or unsafe; the message says which entry and why. */
public class LayerFormatException extends IOException {
    public LayerFormatException(String message) {
        super(message);
    }

    public LayerFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
