package io.katacc.snp.report;

/**
 * A TCB_VERSION: 64 bits of security patch levels (SPLs). The byte positions depend on the
 * generation: Milan/Genoa use [bootloader, tee, 0, 0, 0, 0, snp, microcode]; Turin uses
 * [fmc, bootloader, tee, snp, 0, 0, 0, microcode].
 */
public record TcbVersion(long raw) {

    /** Decoded SPLs; fmc is 0 where the generation has none. */
    public record Parts(int fmc, int bootLoader, int tee, int snp, int microcode) {
        public Parts {
            for (int v : new int[] {fmc, bootLoader, tee, snp, microcode}) {
                if (v < 0 || v > 255) {
                    throw new IllegalArgumentException("SPL out of range 0..255: " + v);
                }
            }
        }

        /** True if every component is >= the other's (the way firmware compares TCBs). */
        public boolean atLeast(Parts min) {
            return fmc >= min.fmc && bootLoader >= min.bootLoader && tee >= min.tee
                    && snp >= min.snp && microcode >= min.microcode;
        }

        @Override
        public String toString() {
            return "fmc=" + fmc + " bl=" + bootLoader + " tee=" + tee + " snp=" + snp + " ucode=" + microcode;
        }
    }

    private int b(int i) {
        return (int) (raw >>> (8 * i)) & 0xFF;
    }

    public Parts decode(CpuGeneration gen) {
        return gen == CpuGeneration.TURIN
                ? new Parts(b(0), b(1), b(2), b(3), b(7))
                : new Parts(0, b(0), b(1), b(6), b(7));
    }

    /** True if every non-zero byte is a field of {@code gen}'s layout, i.e. decoding loses nothing. */
    public boolean fitsLayoutOf(CpuGeneration gen) {
        return encode(gen, decode(gen)).raw == raw;
    }

    public static TcbVersion encode(CpuGeneration gen, Parts p) {
        long v;
        if (gen == CpuGeneration.TURIN) {
            v = (long) p.fmc() | (long) p.bootLoader() << 8 | (long) p.tee() << 16 | (long) p.snp() << 24
                    | (long) p.microcode() << 56;
        } else {
            if (p.fmc() != 0) {
                throw new IllegalArgumentException(gen.productName() + " TCB has no FMC field");
            }
            v = (long) p.bootLoader() | (long) p.tee() << 8 | (long) p.snp() << 48 | (long) p.microcode() << 56;
        }
        return new TcbVersion(v);
    }

    @Override
    public String toString() {
        return String.format("0x%016x", raw);
    }
}
