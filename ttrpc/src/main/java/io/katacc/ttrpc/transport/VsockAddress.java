package io.katacc.ttrpc.transport;

/** AF_VSOCK context id and port. */
public record VsockAddress(int cid, int port) implements Address {
    @Override
    public String toString() {
        return "vsock://" + Integer.toUnsignedString(cid) + ":" + Integer.toUnsignedString(port);
    }
}
