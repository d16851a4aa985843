package io.katacc.integration.vm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which accelerator to boot with, and why. KVM is chosen only when /dev/kvm can be opened and a
 * hardware KVM module is loaded: a /dev/kvm served by kvm_pvm (pagetable-based KVM, found on some cloud
 * sandboxes) accepts QEMU but runs only PVM-enabled guest kernels, and Debian's kernel hangs there
 * before printing a line.
 */
public record AcceleratorChoice(Accelerator accelerator, String reason) {

    /** System property forcing the choice: {@code kvm} or {@code tcg}. */
    public static final String OVERRIDE_PROPERTY = "kcc.vm.accel";

    public static AcceleratorChoice detect() {
        return detect(System.getProperty(OVERRIDE_PROPERTY, ""), Path.of("/dev/kvm"), Path.of("/sys/module"));
    }

    static AcceleratorChoice detect(String override, Path devKvm, Path sysModule) {
        switch (override.toLowerCase(Locale.ROOT)) {
            case "kvm" -> {
                return new AcceleratorChoice(Accelerator.KVM, OVERRIDE_PROPERTY + "=kvm");
            }
            case "tcg" -> {
                return new AcceleratorChoice(Accelerator.TCG, OVERRIDE_PROPERTY + "=tcg");
            }
            case "" -> { }
            default -> throw new IllegalArgumentException(
                    OVERRIDE_PROPERTY + " must be kvm or tcg, got: " + override);
        }
        if (!Files.exists(devKvm)) {
            return new AcceleratorChoice(Accelerator.TCG, devKvm + " does not exist");
        }
        if (!Files.isReadable(devKvm) || !Files.isWritable(devKvm)) {
            return new AcceleratorChoice(Accelerator.TCG, devKvm + " is not read-writable by this user");
        }
        for (String vendor : new String[] {"kvm_intel", "kvm_amd"}) {
            if (Files.isDirectory(sysModule.resolve(vendor))) {
                return new AcceleratorChoice(Accelerator.KVM, vendor + " loaded and " + devKvm + " usable");
            }
        }
        if (Files.isDirectory(sysModule.resolve("kvm_pvm"))) {
            return new AcceleratorChoice(Accelerator.TCG,
                    devKvm + " is kvm_pvm, which runs only PVM-enabled guest kernels");
        }
        return new AcceleratorChoice(Accelerator.TCG, "no hardware KVM module (kvm_intel/kvm_amd) loaded");
    }
}
