package io.katacc.shim.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * containerd's shim command line: {@code -namespace -address -publish-binary -id -bundle -debug -socket}
 * followed by an action ({@code start}, {@code delete}) or none (serve).
 */
public record ShimFlags(
        String namespace,
        String address,
        String publishBinary,
        String id,
        Optional<Path> bundle,
        boolean debug,
        boolean version,
        Optional<String> socket,
        List<String> args) {

    public ShimFlags {
        args = List.copyOf(args);
    }

    public Optional<String> action() {
        return args.isEmpty() ? Optional.empty() : Optional.of(args.getFirst());
    }
}
