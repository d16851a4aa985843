package io.katacc.verity.dm;

import io.katacc.verity.hashtree.VerityParams;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The dm-verity part of Kata's storage options ({@code X-kata.dmverity.*}), written by the shim and read by
 * the agent. The data area is everything below hashoffset, so the block count is hashoffset / blocksize.
 */
public final class KataVerityOptions {
    public static final String ENABLED = "X-kata.dmverity-enabled=true";
    private static final String P = "X-kata.dmverity.";

    private KataVerityOptions() {
    }

    public static List<String> toOptions(VerityParams p) {
        return List.of(ENABLED,
                P + "roothash=" + p.rootHashHex(),
                P + "hashoffset=" + p.hashOffset(),
                P + "blocksize=" + p.dataBlockSize(),
                P + "hashsize=" + p.hashBlockSize(),
                P + "algorithm=" + p.hashAlgorithm(),
                P + "salt=" + HexFormat.of().formatHex(p.salt()),
                P + "hashtype=" + VerityParams.HASH_TYPE);
    }

    public static boolean enabled(List<String> options) {
        return options.contains(ENABLED);
    }

    /** Parses the options; throws IllegalArgumentException naming the missing or malformed one. */
    public static VerityParams parse(List<String> options) {
        if (!enabled(options)) {
            throw new IllegalArgumentException("storage options do not contain " + ENABLED);
        }
        Map<String, String> kv = new HashMap<>();
        for (String o : options) {
            if (o.startsWith(P)) {
                int eq = o.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("malformed option " + o);
                }
                if (kv.put(o.substring(P.length(), eq), o.substring(eq + 1)) != null) {
                    throw new IllegalArgumentException("option " + o.substring(0, eq) + " given twice");
                }
            }
        }
        if (kv.containsKey("no-superblock")) {
            throw new UnsupportedOperationException(P + "no-superblock is not supported: our layers carry"
                    + " veritysetup's superblock at hashoffset");
        }
        String type = kv.getOrDefault("hashtype", "1");
        if (!type.equals("1")) {
            throw new IllegalArgumentException(P + "hashtype=" + type + " unsupported (only format 1)");
        }
        int bs = intOpt(kv, "blocksize", 4096);
        int hs = intOpt(kv, "hashsize", 4096);
        long offset = longOpt(kv, "hashoffset");
        if (offset <= 0 || offset % bs != 0) {
            throw new IllegalArgumentException(P + "hashoffset=" + offset + " must be a positive multiple of "
                    + "blocksize " + bs);
        }
        String root = require(kv, "roothash");
        String salt = kv.getOrDefault("salt", "");
        try {
            return new VerityParams(kv.getOrDefault("algorithm", "sha256"), bs, hs, offset / bs, offset,
                    salt.equals("-") ? new byte[0] : HexFormat.of().parseHex(salt), HexFormat.of().parseHex(root));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid dm-verity storage options: " + e.getMessage(), e);
        }
    }

    private static String require(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing option " + P + key);
        }
        return v;
    }

    private static long longOpt(Map<String, String> kv, String key) {
        try {
            return Long.parseLong(require(kv, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(P + key + " is not a number: " + kv.get(key));
        }
    }

    private static int intOpt(Map<String, String> kv, String key, int dflt) {
        return kv.containsKey(key) ? Math.toIntExact(longOpt(kv, key)) : dflt;
    }
}
