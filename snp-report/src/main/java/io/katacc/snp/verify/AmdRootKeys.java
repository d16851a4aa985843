package io.katacc.snp.verify;

import io.katacc.snp.report.CpuGeneration;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Trust anchors: SHA-256 of each ARK's SubjectPublicKeyInfo. {@link #amd()} pins AMD's published
 * ARK-Milan, ARK-Genoa and ARK-Turin (the keys at kdsintf.amd.com/vcek/v1/{product}/cert_chain).
 */
public record AmdRootKeys(Map<CpuGeneration, String> spkiSha256) {

    public AmdRootKeys {
        spkiSha256 = Map.copyOf(spkiSha256);
    }

    public static AmdRootKeys amd() {
        Map<CpuGeneration, String> m = new EnumMap<>(CpuGeneration.class);
        m.put(CpuGeneration.MILAN, "9f056bee44377e29308cb5ffa895bdfb62d18881fa6bed8d6f075b0204089cb9");
        m.put(CpuGeneration.GENOA, "429a69c9422aa258ee4d8db5fcda9c6470ef15f8cd5a9cebd6cbc7d90b863831");
        m.put(CpuGeneration.TURIN, "4f125410563a2ab9a50356f9243f6fe0b6f73de98603f53f90339c70e9d7ad08");
        return new AmdRootKeys(m);
    }

    /** Trust exactly one key for one generation (tests and simulated evidence). */
    public static AmdRootKeys of(CpuGeneration gen, PublicKey ark) {
        return new AmdRootKeys(Map.of(gen, fingerprint(ark)));
    }

    /** The generation this ARK key is pinned for, if any. */
    public Optional<CpuGeneration> generationOf(PublicKey ark) {
        String fp = fingerprint(ark);
        return spkiSha256.entrySet().stream().filter(e -> e.getValue().equals(fp)).map(Map.Entry::getKey)
                .findFirst();
    }

    public static String fingerprint(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
