package io.katacc.shim.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code [hypervisor.<name>]} section, with Kata's key names.
 *
 * @param kind           which backend the section named: {@code clh} or {@code qemu}
 * @param path           hypervisor binary
 * @param kernel         guest kernel (bzImage/vmlinuz)
 * @param initrd         initramfs; exclusive with {@code image}
 * @param image          root disk image; exclusive with {@code initrd}
 * @param igvm           IGVM file (Cloud Hypervisor SNP boots from it instead of kernel/initrd)
 * @param kernelParams   extra kernel command line
 * @param defaultVcpus   boot vCPUs
 * @param defaultMaxVcpus maximum vCPUs
 * @param defaultMemoryMiB guest memory in MiB
 * @param confidentialGuest run as a confidential guest
 * @param sevSnpGuest    the TEE is SEV-SNP (with confidentialGuest)
 * @param blockDeviceDriver {@code virtio-blk} (the only one we implement)
 * @param accel          QEMU accelerator: {@code auto} (KVM when /dev/kvm is usable), {@code kvm} or {@code tcg};
 *                       our key: a nested host can expose a /dev/kvm that QEMU cannot use
 */
public record HypervisorConfig(
        HypervisorKind kind,
        Path path,
        Path kernel,
        Optional<Path> initrd,
        Optional<Path> image,
        Optional<Path> igvm,
        List<String> kernelParams,
        int defaultVcpus,
        int defaultMaxVcpus,
        int defaultMemoryMiB,
        boolean confidentialGuest,
        boolean sevSnpGuest,
        String blockDeviceDriver,
        String accel) {

    public HypervisorConfig {
        kernelParams = List.copyOf(kernelParams);
    }

    /** SEV-SNP is on only when both keys say so, as in Kata. */
    public boolean snp() {
        return confidentialGuest && sevSnpGuest;
    }
}
