package io.katacc.agent.storage;

import io.katacc.agent.api.Storage;
import io.katacc.agent.error.AgentException;
import io.katacc.verity.hashtree.VerityParams;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The {@code X-kata.dmverity.*} options of a layer storage (Kata's multi-layer EROFS vocabulary) as
 * dm-verity parameters. Data and hash tree share the device; the tree starts at {@code hashoffset}.
 */
public final class VerityOptions {

    private static final String P = "X-kata.dmverity.";

    private VerityOptions() {
    }

    public static boolean enabled(Storage s) {
        return all(s).stream().anyMatch(o -> o.equals("X-kata.dmverity-enabled=true"));
    }

    /** The layer's dm-verity parameters; a layer without them is refused ({@code where} names it). */
    public static VerityParams required(Storage s, String where) {
        if (!enabled(s)) {
            throw AgentException.invalid(where + ": layer without X-kata.dmverity-enabled=true is refused");
        }
        return parse(s);
    }

    public static VerityParams parse(Storage s) {
        Map<String, String> kv = new HashMap<>();
        for (String o : all(s)) {
            if (o.startsWith(P) && o.contains("=")) {
                kv.put(o.substring(P.length(), o.indexOf('=')), o.substring(o.indexOf('=') + 1));
            }
        }
        String where = "storage " + s.getMountPoint() + ": ";
        String alg = kv.getOrDefault("algorithm", "sha256");
        String hashType = kv.getOrDefault("hashtype", "1");
        if (!hashType.equals("1")) {
            throw AgentException.invalid(where + "dm-verity hash type " + hashType + " is not supported (only 1)");
        }
        byte[] root = hex(where, "roothash", require(where, kv, "roothash"));
        if (root.length != 32) {
            throw AgentException.invalid(where + "X-kata.dmverity.roothash must be 64 hex digits (sha256), got "
                    + root.length * 2);
        }
        int dataBlock = (int) number(where, "blocksize", kv.getOrDefault("blocksize", "4096"));
        int hashBlock = (int) number(where, "hashsize", kv.getOrDefault("hashsize", "4096"));
        long hashOffset = number(where, "hashoffset", require(where, kv, "hashoffset"));
        byte[] salt = hex(where, "salt", kv.getOrDefault("salt", ""));
        if (dataBlock <= 0 || hashOffset % dataBlock != 0) {
            throw AgentException.invalid(where + "hashoffset " + hashOffset + " is not a multiple of blocksize " + dataBlock);
        }
        try {
            return new VerityParams(alg, dataBlock, hashBlock, hashOffset / dataBlock, hashOffset, salt, root);
        } catch (IllegalArgumentException e) {
            throw AgentException.invalid(where + e.getMessage());
        }
    }

    private static List<String> all(Storage s) {
        return java.util.stream.Stream.concat(s.getOptionsList().stream(), s.getDriverOptionsList().stream()).toList();
    }

    private static String require(String where, Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null || v.isEmpty()) {
            throw AgentException.invalid(where + "missing X-kata.dmverity." + key);
        }
        return v;
    }

    private static long number(String where, String key, String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw AgentException.invalid(where + "X-kata.dmverity." + key + " '" + v + "' is not a non-negative number");
        }
    }

    private static byte[] hex(String where, String key, String v) {
        try {
            return HexFormat.of().parseHex(v);
        } catch (IllegalArgumentException e) {
            throw AgentException.invalid(where + "X-kata.dmverity." + key + " '" + v + "' is not hex");
        }
    }
}
