package io.katacc.snp.report;

/** PLATFORM_INFO (report offset 0x40): platform state when the report was made. */
public record PlatformInfo(long raw) {
    public boolean smtEnabled() { return bit(0); }
    public boolean tsmeEnabled() { return bit(1); }
    public boolean eccEnabled() { return bit(2); }
    public boolean raplDisabled() { return bit(3); }
    public boolean ciphertextHidingEnabled() { return bit(4); }
    public boolean aliasCheckComplete() { return bit(5); }

    private boolean bit(int n) {
        return (raw >>> n & 1) != 0;
    }

    @Override
    public String toString() {
        return String.format("0x%x", raw);
    }
}
