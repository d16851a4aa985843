package io.katacc.ttrpc.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A single full-duplex byte stream (for example a virtio-serial port) opened on demand. Serves either role:
 * as a server it carries exactly one connection, as a client it is that connection.
 */
public record ByteStreamAddress(String description, Opener opener) implements Address {

    public record Streams(InputStream in, OutputStream out) {
    }

    @FunctionalInterface
    public interface Opener {
        Streams open() throws IOException;
    }

    public static ByteStreamAddress of(String description, Opener opener) {
        return new ByteStreamAddress(description, opener);
    }

    public static ByteStreamAddress of(String description, InputStream in, OutputStream out) {
        return new ByteStreamAddress(description, () -> new Streams(in, out));
    }

    @Override
    public String toString() {
        return description;
    }
}
