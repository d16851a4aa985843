package io.katacc.shim.hypervisor.qemu;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether QEMU can use KVM here. A usable /dev/kvm is not enough: one served by kvm_pvm (pagetable-based
 * KVM, found on some cloud sandboxes) accepts QEMU but runs only PVM-enabled guest kernels, and Debian's
 * kernel hangs there before printing a line. So KVM needs kvm_intel or kvm_amd loaded as well.
 *
 * @param reason why KVM was or was not chosen, for logs
 */
public record KvmProbe(boolean usable, String reason) {

    public static KvmProbe probe() {
        return probe(Path.of("/dev/kvm"), Path.of("/sys/module"));
    }

    public static KvmProbe probe(Path devKvm, Path sysModule) {
        if (!Files.exists(devKvm)) {
            return new KvmProbe(false, devKvm + " does not exist");
        }
        if (!Files.isReadable(devKvm) || !Files.isWritable(devKvm)) {
            return new KvmProbe(false, devKvm + " is not read-writable by this user");
        }
        for (String vendor : new String[] {"kvm_intel", "kvm_amd"}) {
            if (Files.isDirectory(sysModule.resolve(vendor))) {
                return new KvmProbe(true, vendor + " loaded and " + devKvm + " usable");
            }
        }
        if (Files.isDirectory(sysModule.resolve("kvm_pvm"))) {
            return new KvmProbe(false, devKvm + " is kvm_pvm, which runs only PVM-enabled guest kernels");
        }
        return new KvmProbe(false, "no hardware KVM module (kvm_intel/kvm_amd) loaded");
    }
}
