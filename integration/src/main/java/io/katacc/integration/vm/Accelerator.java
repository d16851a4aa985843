package io.katacc.integration.vm;

/** QEMU accelerator and the CPU model that goes with it. */
public enum Accelerator {
    /** Hardware-assisted KVM (kvm_intel/kvm_amd). */
    KVM("kvm", "host"),
    /** Software emulation; works everywhere, about 3x slower to boot. */
    TCG("tcg", "max");

    private final String qemuName;
    private final String cpuModel;

    Accelerator(String qemuName, String cpuModel) {
        this.qemuName = qemuName;
        this.cpuModel = cpuModel;
    }

    public String qemuName() {
        return qemuName;
    }

    public String cpuModel() {
        return cpuModel;
    }
}
