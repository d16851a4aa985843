package io.katacc.shim.hypervisor;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Everything a backend needs to boot one sandbox VM.
 *
 * @param hostData SHA-256 of the policy (32 bytes), given to the SEV-SNP launch when {@code snp};
 *                 ignored otherwise
 * @param stateDir where the backend puts its sockets and logs (the sandbox's state directory)
 */
public record VmSpec(
        String sandboxId,
        int vcpus,
        int maxVcpus,
        int memoryMiB,
        Optional<Path> kernel,
        Optional<Path> initrd,
        Optional<Path> image,
        Optional<Path> igvm,
        List<String> kernelParams,
        boolean snp,
        byte[] hostData,
        List<BlockDevice> disks,
        Path stateDir) {

    public VmSpec {
        kernelParams = List.copyOf(kernelParams);
        disks = List.copyOf(disks);
        hostData = hostData.clone();
        if (vcpus < 1 || maxVcpus < vcpus) {
            throw new IllegalArgumentException("need 1 <= vcpus <= maxVcpus, got " + vcpus + "/" + maxVcpus);
        }
        if (memoryMiB < 64) {
            throw new IllegalArgumentException("memory must be at least 64 MiB, got " + memoryMiB);
        }
        if (snp && hostData.length != 32) {
            throw new IllegalArgumentException("SEV-SNP HOST_DATA must be 32 bytes, got " + hostData.length);
        }
        if (kernel.isEmpty() && igvm.isEmpty()) {
            throw new IllegalArgumentException("a kernel or an IGVM payload is required");
        }
    }

    @Override
    public byte[] hostData() {
        return hostData.clone();
    }

    public String hostDataHex() {
        return HexFormat.of().formatHex(hostData);
    }
}
