package io.katacc.ttrpc.transport;

/** A unix domain socket path. */
public record UnixAddress(String path) implements Address {
    @Override
    public String toString() {
        return "unix://" + path;
    }
}
