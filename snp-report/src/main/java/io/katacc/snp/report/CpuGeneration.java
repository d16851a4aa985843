package io.katacc.snp.report;

import java.util.Locale;
import java.util.Optional;

/**
 * EPYC generations that run SEV-SNP. The generation decides the TCB_VERSION layout
 * (Turin moved to a layout with an FMC field) and which AMD root key signs the chain.
 */
public enum CpuGeneration {
    MILAN("Milan", 0x19, 0x00, 0x0F),
    // Models A0h-AFh are Bergamo/Siena, which carry Genoa VCEKs (the sev crate maps them the same way).
    GENOA("Genoa", 0x19, 0x10, 0x1F, 0xA0, 0xAF),
    TURIN("Turin", 0x1A, 0x00, 0x11);

    private final String productName;
    private final int family;
    /** Inclusive CPUID model ranges as pairs: lo, hi, lo, hi, ... */
    private final int[] models;

    CpuGeneration(String productName, int family, int... models) {
        this.productName = productName;
        this.family = family;
        this.models = models;
    }

    /** AMD's product name as used by the KDS and in the VCEK productName extension (e.g. "Milan"). */
    public String productName() {
        return productName;
    }

    /** Generation from the report's CPUID family/model (v3+ reports), if known. */
    public static Optional<CpuGeneration> fromCpuid(int family, int model) {
        for (CpuGeneration g : values()) {
            for (int i = 0; g.family == family && i < g.models.length; i += 2) {
                if (model >= g.models[i] && model <= g.models[i + 1]) {
                    return Optional.of(g);
                }
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
