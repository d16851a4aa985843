package io.katacc.shim.hypervisor.clh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.katacc.shim.hypervisor.BlockDevice;
import io.katacc.shim.hypervisor.VmSpec;

import java.nio.file.Path;

/** Builds the bodies of {@code vm.create} (VmConfig) and {@code vm.add-disk} (DiskConfig). */
public final class ChVmConfig {
    /** The guest CID Kata gives every CH VM: hybrid vsock routes by socket, not by CID. */
    public static final int GUEST_CID = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChVmConfig() {
    }

    public static ObjectNode vmConfig(VmSpec spec, Path vsockSocket, Path serialLog) {
        ObjectNode vm = JSON.createObjectNode();
        ObjectNode payload = vm.putObject("payload");
        if (spec.igvm().isPresent()) {
            payload.put("igvm", spec.igvm().get().toString());
        } else {
            payload.put("kernel", spec.kernel().orElseThrow().toString());
            spec.initrd().ifPresent(i -> payload.put("initramfs", i.toString()));
        }
        payload.put("cmdline", String.join(" ", spec.kernelParams()));
        if (spec.snp()) {
            payload.put("host_data", spec.hostDataHex());
            vm.putObject("platform").put("sev_snp", true);
        }
        vm.putObject("cpus").put("boot_vcpus", spec.vcpus()).put("max_vcpus", spec.maxVcpus());
        // SNP guests cannot share memory with the host except through explicitly shared pages
        vm.putObject("memory").put("size", (long) spec.memoryMiB() << 20).put("shared", !spec.snp());
        ArrayNode disks = JSON.createArrayNode();
        spec.image().ifPresent(img -> disks.addObject().put("path", img.toString()).put("readonly", true).put("id", "rootfs"));
        spec.disks().forEach(d -> disks.add(disk(d)));
        if (!disks.isEmpty()) {
            vm.set("disks", disks);
        }
        vm.putObject("vsock").put("cid", GUEST_CID).put("socket", vsockSocket.toString());
        vm.putObject("serial").put("mode", "File").put("file", serialLog.toString());
        vm.putObject("console").put("mode", "Off");
        vm.put("iommu", false);
        return vm;
    }

    public static ObjectNode disk(BlockDevice d) {
        return JSON.createObjectNode().put("path", d.path().toString()).put("readonly", d.readOnly()).put("id", d.id());
    }
}
