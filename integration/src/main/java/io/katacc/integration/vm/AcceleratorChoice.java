package io.katacc.integration.vm;

import java.nio.file.Path;
import java.util.Locale;

/** Which accelerator to boot with, and why: the shim's {@code KvmProbe}, unless a system property forces one. */
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
        var kvm = io.katacc.shim.hypervisor.qemu.KvmProbe.probe(devKvm, sysModule);
        return new AcceleratorChoice(kvm.usable() ? Accelerator.KVM : Accelerator.TCG, kvm.reason());
    }
}
