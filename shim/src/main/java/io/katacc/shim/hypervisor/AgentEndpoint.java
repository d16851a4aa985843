package io.katacc.shim.hypervisor;

import java.nio.file.Path;

/** Where the host reaches the guest agent; the backend decides, the agent client connects. */
public sealed interface AgentEndpoint {
    /** The agent's vsock port for its log lines (Kata's agent.log_vport), next to the API's 1024. */
    int LOG_VSOCK_PORT = 1025;

    /** Cloud Hypervisor / Firecracker hybrid vsock: unix socket plus a {@code CONNECT <port>} handshake. */
    record HybridVsock(Path socket, int port) implements AgentEndpoint {
    }

    /** A virtio-serial port whose host side is a unix socket (QEMU without vhost-vsock). */
    record Serial(Path socket) implements AgentEndpoint {
    }

    /** Kernel AF_VSOCK (vhost-vsock). */
    record Vsock(int cid, int port) implements AgentEndpoint {
    }
}
