package io.katacc.snp.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** "--name value" options plus positional arguments; unknown options are usage errors. */
record CliArgs(List<String> positional, Map<String, String> options) {

    static CliArgs parse(List<String> args, Set<String> known) {
        List<String> pos = new ArrayList<>();
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("option --" + name + " needs a value");
                }
                if (!known.contains(name)) {
                    throw new UsageException("unknown option --" + name);
                }
                opts.put(name, value);
            } else {
                pos.add(a);
            }
        }
        return new CliArgs(pos, opts);
    }

    Optional<String> opt(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** Hex option of an exact length, or a short value zero-padded on the right when padTo is allowed. */
    Optional<byte[]> hex(String name, int len, boolean pad) {
        return opt(name).map(v -> {
            byte[] b;
            try {
                b = HexFormat.of().parseHex(v.startsWith("0x") ? v.substring(2) : v);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + name + " is not hex: " + e.getMessage());
            }
            if (b.length == len || (pad && b.length < len)) {
                return java.util.Arrays.copyOf(b, len);
            }
            throw new UsageException("--" + name + " must be " + (pad ? "at most " : "") + len + " bytes, got "
                    + b.length);
        });
    }

    static final class UsageException extends RuntimeException {
        UsageException(String m) {
            super(m);
        }
    }
}
