package io.katacc.snp.report;

/** GUEST_POLICY (report offset 0x08), bit positions per the SEV-SNP ABI spec. */
public record GuestPolicy(long raw) {
    public int abiMinor() { return (int) (raw & 0xFF); }
    public int abiMajor() { return (int) ((raw >>> 8) & 0xFF); }
    public boolean smt() { return bit(16); }
    /** Bit 17 is reserved and must be 1 in every valid policy. */
    public boolean reservedOne() { return bit(17); }
    public boolean migrateMa() { return bit(18); }
    public boolean debug() { return bit(19); }
    public boolean singleSocket() { return bit(20); }
    public boolean cxlAllow() { return bit(21); }
    public boolean memAes256Xts() { return bit(22); }
    public boolean raplDis() { return bit(23); }
    public boolean ciphertextHiding() { return bit(24); }
    public boolean pageSwapDisable() { return bit(25); }

    private boolean bit(int n) {
        return (raw >>> n & 1) != 0;
    }

    @Override
    public String toString() {
        return String.format("0x%x", raw);
    }
}
