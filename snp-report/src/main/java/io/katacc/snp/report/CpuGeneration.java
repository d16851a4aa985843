package io.katacc.snp.report;

import java.util.Locale;
import java.util.Optional;

/**
 * EPYC generations that run SEV-SNP. The generation decides the TCB_VERSION layout
 * (Turin moved to a layout with an FMC field) and which AMD root key signs the chain.
 */
public enum CpuGeneration {
    MILAN("Milan", 0x19, 0x00, 0x0F),
    GENOA("Genoa", 0x19, 0x10, 0x1F),
    TURIN("Turin", 0x1A, 0x00, 0x11);

    private final String productName;
    private final int family;
    private final int modelLo;
    private final int modelHi;

    CpuGeneration(String productName, int family, int modelLo, int modelHi) {
        this.productName = productName;
        this.family = family;
        this.modelLo = modelLo;
        this.modelHi = modelHi;
    }

    /** AMD's product name as used by the KDS and in the VCEK productName extension (e.g. "Milan"). */
    public String productName() {
        return productName;
    }

    /** Generation from the report's CPUID family/model (v3+ reports), if known. */
    public static Optional<CpuGeneration> fromCpuid(int family, int model) {
        for (CpuGeneration g : values()) {
            if (g.family == family && model >= g.modelLo && model <= g.modelHi) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** Generation from a product name such as "Milan", "Milan-B0" or "genoa". */
    public static CpuGeneration fromProductName(String name) {
        String base = name.split("-", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (CpuGeneration g : values()) {
            if (g.productName.toLowerCase(Locale.ROOT).equals(base)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown SEV-SNP product '" + name + "' (expected Milan, Genoa or Turin)");
    }
}
