package io.katacc.ttrpc.transport;

/** Cloud Hypervisor hybrid vsock: the VM's vsock unix socket plus the guest port to CONNECT to. */
public record HybridVsockAddress(String socketPath, int port) implements Address {
    @Override
    public String toString() {
        return "hvsock://" + socketPath + ":" + Integer.toUnsignedString(port);
    }
}
