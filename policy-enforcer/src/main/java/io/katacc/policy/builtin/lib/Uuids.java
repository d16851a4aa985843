package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.Value;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.TreeMap;

/** uuid.parse: the fields OPA reports (version, variant, and time/node facts for time-based UUIDs). */
final class Uuids {
    private Uuids() {}

    /** 100 ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch. */
    private static final long GREGORIAN_OFFSET = 0x01B21DD213814000L;

    static void registerAll(BuiltinRegistry r) {
        r.register("uuid.parse", 1, (c, a) -> parse(Args.str("uuid.parse", a, 0)));
    }

    static byte[] bytes(String s) throws BuiltinError {
        String x = s;
        if (x.length() == 45 && x.regionMatches(true, 0, "urn:uuid:", 0, 9)) x = x.substring(9);
        else if (x.length() == 38 && x.startsWith("{") && x.endsWith("}")) x = x.substring(1, 37);
        if (x.length() == 36) {
            if (x.charAt(8) != '-' || x.charAt(13) != '-' || x.charAt(18) != '-' || x.charAt(23) != '-') {
                throw Undefined.because("uuid.parse: invalid UUID format: " + s);
            }
            x = x.replace("-", "");
        }
        if (x.length() != 32) throw Undefined.because("uuid.parse: invalid UUID length: " + s);
        try {
            return HexFormat.of().parseHex(x);
        } catch (IllegalArgumentException e) {
            throw Undefined.because("uuid.parse: invalid UUID format: " + s);
        }
    }

    private static Value parse(String s) throws BuiltinError {
        byte[] b = bytes(s);
        int version = (b[6] & 0xff) >> 4;
        TreeMap<Value, Value> out = new TreeMap<>();
        out.put(Value.str("version"), Value.num(version));
        int v = b[8] & 0xff;
        String variant = (v & 0x80) == 0 ? "Reserved" : (v & 0xc0) == 0x80 ? "RFC4122" : (v & 0xe0) == 0xc0 ? "Microsoft" : "Future";
        out.put(Value.str("variant"), Value.str(variant));
        switch (version) {
            case 1, 2 -> {
                long timeLow = u(b, 0, 4), timeMid = u(b, 4, 2), timeHi = u(b, 6, 2) & 0x0fff;
                gregorian(out, (timeHi << 48) | (timeMid << 32) | timeLow);
                out.put(Value.str("clocksequence"), Value.num(u(b, 8, 2) & 0x3fff));
                StringBuilder node = new StringBuilder();
                for (int i = 10; i < 16; i++) {
                    if (i > 10) node.append('-');
                    node.append(String.format("%02x", b[i] & 0xff));
                }
                out.put(Value.str("nodeid"), Value.str(node.toString()));
                int n0 = b[10] & 0xff;
                out.put(Value.str("macvariables"), Value.str(((n0 & 2) != 0 ? "local" : "global") + ":"
                        + ((n0 & 1) != 0 ? "multicast" : "unicast")));
                if (version == 2) {
                    int domain = b[9] & 0xff;
                    out.put(Value.str("domain"), Value.str(switch (domain) {
                        case 0 -> "Person";
                        case 1 -> "Group";
                        case 2 -> "Org";
                        default -> "Domain" + domain;
                    }));
                    out.put(Value.str("id"), Value.num(timeLow));
                }
            }
            case 6 -> gregorian(out, (u(b, 0, 4) << 28) | (u(b, 4, 2) << 12) | (u(b, 6, 2) & 0x0fff));
            case 7 -> out.put(Value.str("time"), NumberValue.of(BigInteger.valueOf(u(b, 0, 6)).multiply(BigInteger.valueOf(1_000_000))));
            default -> { }
        }
        return ObjectValue.adopt(out);
    }

    private static void gregorian(TreeMap<Value, Value> out, long t) {
        BigInteger ns = BigInteger.valueOf(t - GREGORIAN_OFFSET).multiply(BigInteger.valueOf(100));
        out.put(Value.str("time"), NumberValue.of(ns));
    }

    private static long u(byte[] b, int off, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }
}
