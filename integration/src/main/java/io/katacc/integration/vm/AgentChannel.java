package io.katacc.integration.vm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** How the host reaches the guest agent. The guest's init picks the matching end (KCC_AGENT_CHANNEL). */
public sealed interface AgentChannel {

    /** A virtio-serial port named agent.channel.0 whose host end is a unix socket QEMU listens on. */
    record VirtioSerial(Path hostSocket) implements AgentChannel {
        public VirtioSerial {
            // sockaddr_un.sun_path holds 108 bytes including the NUL.
            if (hostSocket.toString().getBytes(StandardCharsets.UTF_8).length > 107) {
                throw new IllegalArgumentException("agent socket path longer than 107 bytes: " + hostSocket);
            }
        }
    }

    /** virtio-vsock through the host's vhost-vsock; the agent listens on port 1024 of this CID. */
    record Vsock(long guestCid) implements AgentChannel {
        public Vsock {
            // 0-2 are reserved (hypervisor, local, host); 0xffffffff is VMADDR_CID_ANY.
            if (guestCid < 3 || guestCid >= 0xffff_ffffL) {
                throw new IllegalArgumentException("guest CID must be in [3, 2^32-2], got " + guestCid);
            }
        }

        /** vhost-vsock needs this device node (absent on this machine). */
        public static boolean hostSupported() {
            return Files.exists(Path.of("/dev/vhost-vsock"));
        }
    }
}
