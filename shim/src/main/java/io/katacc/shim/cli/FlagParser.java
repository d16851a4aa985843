package io.katacc.shim.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parses flags the way Go's {@code flag} package does (containerd builds the command line for that):
 * {@code -name value}, {@code -name=value}, {@code --name value}; boolean flags take no value unless
 * written {@code -debug=false}; parsing stops at the first non-flag or at {@code --}.
 */
public final class FlagParser {
    private static final Set<String> STRING_FLAGS = Set.of("namespace", "address", "publish-binary", "id", "bundle", "socket");
    private static final Set<String> BOOL_FLAGS = Set.of("debug", "v", "version");

    private FlagParser() {
    }

    public static ShimFlags parse(List<String> argv) {
        String namespace = "", address = "", publish = "", id = "", bundle = "", socket = "";
        boolean debug = false, version = false;
        int i = 0;
        while (i < argv.size()) {
            String a = argv.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            String name = body;
            String value = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            }
            i++;
            if (BOOL_FLAGS.contains(name)) {
                boolean b = value == null || parseBool(name, value);
                if (name.equals("debug")) {
                    debug = b;
                } else {
                    version = b;
                }
                continue;
            }
            if (!STRING_FLAGS.contains(name)) {
                throw new IllegalArgumentException("flag provided but not defined: -" + name);
            }
            if (value == null) {
                if (i >= argv.size()) {
                    throw new IllegalArgumentException("flag needs an argument: -" + name);
                }
                value = argv.get(i++);
            }
            switch (name) {
                case "namespace" -> namespace = value;
                case "address" -> address = value;
                case "publish-binary" -> publish = value;
                case "id" -> id = value;
                case "bundle" -> bundle = value;
                case "socket" -> socket = value;
                default -> throw new AssertionError(name);
            }
        }
        return new ShimFlags(namespace, address, publish, id,
                bundle.isEmpty() ? Optional.empty() : Optional.of(Path.of(bundle)), debug, version,
                socket.isEmpty() ? Optional.empty() : Optional.of(socket), argv.subList(i, argv.size()));
    }

    private static boolean parseBool(String name, String v) {
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new IllegalArgumentException("invalid boolean value \"" + v + "\" for -" + name);
        };
    }

    /** The command line for the same flags, as the daemonized server process receives them. */
    public static List<String> render(ShimFlags f) {
        List<String> out = new ArrayList<>();
        out.addAll(List.of("-namespace", f.namespace(), "-address", f.address(), "-publish-binary", f.publishBinary(),
                "-id", f.id()));
        f.bundle().ifPresent(b -> out.addAll(List.of("-bundle", b.toString())));
        f.socket().ifPresent(s -> out.addAll(List.of("-socket", s)));
        if (f.debug()) {
            out.add("-debug");
        }
        out.addAll(f.args());
        return out;
    }
}
