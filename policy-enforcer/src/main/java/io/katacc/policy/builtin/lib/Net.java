package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.TreeSet;

/** net.cidr_* over IPv4 and IPv6 literals (never resolves host names). */
final class Net {
    private Net() {}

    /** net.cidr_expand refuses larger networks so a policy cannot exhaust memory. */
    static final int MAX_EXPAND = 65_536;

    /** A network: first address as an unsigned integer, prefix length and address width in bits. */
    record Cidr(BigInteger base, int prefix, int bits) {
        BigInteger last() {
            return base.or(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
        }

        boolean contains(Cidr o) {
            return bits == o.bits && prefix <= o.prefix && base.compareTo(o.base) <= 0 && last().compareTo(o.last()) >= 0;
        }

        boolean intersects(Cidr o) {
            return bits == o.bits && base.compareTo(o.last()) <= 0 && o.base.compareTo(last()) <= 0;
        }
    }

    static void registerAll(BuiltinRegistry r) {
        r.register("net.cidr_contains", 2, (c, a) -> Value.bool(cidr("net.cidr_contains", Args.str("net.cidr_contains", a, 0), false)
                .contains(cidr("net.cidr_contains", Args.str("net.cidr_contains", a, 1), true))));
        r.register("net.cidr_intersects", 2, (c, a) -> Value.bool(cidr("net.cidr_intersects", Args.str("net.cidr_intersects", a, 0), false)
                .intersects(cidr("net.cidr_intersects", Args.str("net.cidr_intersects", a, 1), false))));
        r.register("net.cidr_is_valid", 1, (c, a) -> {
            if (!(a.get(0) instanceof StringValue s)) return Value.FALSE;
            try {
                cidr("net.cidr_is_valid", s.value(), false);
                return Value.TRUE;
            } catch (BuiltinError e) {
                return Value.FALSE;
            }
        });
        r.register("net.cidr_expand", 1, (c, a) -> {
            Cidr n = cidr("net.cidr_expand", Args.str("net.cidr_expand", a, 0), false);
            if (n.bits() - n.prefix() > 16) throw new BuiltinError("net.cidr_expand: network has more than " + MAX_EXPAND + " addresses");
            TreeSet<Value> out = new TreeSet<>();
            for (BigInteger i = n.base(); i.compareTo(n.last()) <= 0; i = i.add(BigInteger.ONE)) out.add(Value.str(format(i, n.bits())));
            return SetValue.adopt(out);
        });
    }

    /** Parses "addr/len" (host bits are masked off, as Go's ParseCIDR) or, if allowed, a bare address. */
    static Cidr cidr(String fn, String s, boolean allowIp) throws BuiltinError {
        int slash = s.indexOf('/');
        if (slash < 0 && !allowIp) throw new BuiltinError(fn + ": invalid CIDR address: " + s);
        byte[] addr = address(fn, slash < 0 ? s : s.substring(0, slash));
        int bits = addr.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(p) > bits) throw new BuiltinError(fn + ": invalid CIDR address: " + s);
            prefix = Integer.parseInt(p);
        }
        BigInteger v = new BigInteger(1, addr);
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
        return new Cidr(v.and(mask), prefix, bits);
    }

    private static byte[] address(String fn, String s) throws BuiltinError {
        if (s.matches("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})")) {
            String[] parts = s.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int x = Integer.parseInt(parts[i]);
                if (x > 255 || (parts[i].length() > 1 && parts[i].startsWith("0"))) throw new BuiltinError(fn + ": invalid IP address: " + s);
                b[i] = (byte) x;
            }
            return b;
        }
        // Only hex digits, ':' and '.': a literal, so InetAddress never does a name lookup.
        if (s.contains(":") && s.matches("[0-9a-fA-F:.]+")) {
            try {
                byte[] b = InetAddress.getByName(s).getAddress();
                if (b.length == 4) { // IPv4-mapped IPv6 literals come back as IPv4
                    byte[] m = new byte[16];
                    m[10] = (byte) 0xff;
                    m[11] = (byte) 0xff;
                    System.arraycopy(b, 0, m, 12, 4);
                    return m;
                }
                return b;
            } catch (UnknownHostException e) {
                throw new BuiltinError(fn + ": invalid IP address: " + s);
            }
        }
        throw new BuiltinError(fn + ": invalid IP address: " + s);
    }

    private static String format(BigInteger v, int bits) {
        byte[] raw = v.toByteArray();
        byte[] b = new byte[bits / 8];
        int n = Math.min(raw.length, b.length);
        System.arraycopy(raw, raw.length - n, b, b.length - n, n);
        if (bits == 32) return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        try {
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
