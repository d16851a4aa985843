package io.katacc.shim.config;

/** The hypervisor backends we drive; the TOML section name is {@link #section()}. */
public enum HypervisorKind {
    CLH("clh"),
    QEMU("qemu");

    private final String section;

    HypervisorKind(String section) {
        this.section = section;
    }

    public String section() {
        return section;
    }
}
