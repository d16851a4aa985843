package io.katacc.shim.hypervisor.qemu;

import java.nio.file.Path;

/**
 * How QEMU runs on this host.
 *
 * @param kvm            use KVM (else TCG)
 * @param vhostVsock     agent over vhost-vsock (else virtio-serial on a unix socket)
 * @param version        QEMU version, for features such as SEV-SNP host-data (9.1+)
 * @param hotplugPorts   empty PCIe root ports reserved for disk hot-plug (q35 cannot hot-plug on pcie.0)
 * @param startPaused    {@code -S}: create the VM without running vCPUs (tests)
 */
public record QemuOptions(Path binary, boolean kvm, boolean vhostVsock, QemuVersion version, int hotplugPorts,
                          boolean startPaused) {
    public QemuOptions {
        if (hotplugPorts < 0 || hotplugPorts > QemuCommandLine.MAX_HOTPLUG_PORTS) {
            throw new IllegalArgumentException("hotplugPorts must be in [0, " + QemuCommandLine.MAX_HOTPLUG_PORTS + "], got " + hotplugPorts);
        }
    }
}
