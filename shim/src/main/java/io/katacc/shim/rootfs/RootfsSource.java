package io.katacc.shim.rootfs;

import io.katacc.shim.api.types.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A container's root filesystem as containerd hands it to the shim, turned into read-only layer directories
 * (top first). The host's writable upper layer is never shared with the guest: writes stay in guest memory.
 */
public record RootfsSource(List<LayerDir> layers) {
    public RootfsSource {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a root filesystem needs at least one layer");
        }
    }

    /**
     * From {@code CreateTaskRequest.rootfs}: an overlay mount (overlayfs snapshotter: lowerdir = committed
     * snapshots, top first), a bind mount (native snapshotter, or a snapshot without parents), or nothing,
     * when the bundle's own root directory is the filesystem ({@code ctr run --rootfs}).
     */
    public static RootfsSource of(List<Mount> rootfs, Path bundle, String specRootPath) throws IOException {
        if (rootfs.size() > 1) {
            throw new RootfsException("rootfs has " + rootfs.size() + " mounts; only a single overlay or bind mount is supported");
        }
        if (rootfs.isEmpty()) {
            if (specRootPath.isEmpty()) {
                throw new RootfsException("no rootfs mounts and no root.path in the bundle's config.json");
            }
            Path dir = bundle.resolve(specRootPath).normalize();
            return new RootfsSource(List.of(new LayerDir(existingDir(dir, "root.path"), false)));
        }
        Mount m = rootfs.getFirst();
        switch (m.getType()) {
            case "overlay" -> {
                List<LayerDir> layers = new ArrayList<>();
                Path upper = null;
                List<String> lower = List.of();
                for (String o : m.getOptionsList()) {
                    if (o.startsWith("upperdir=")) {
                        upper = Path.of(o.substring("upperdir=".length()));
                    } else if (o.startsWith("lowerdir=")) {
                        lower = List.of(o.substring("lowerdir=".length()).split(":"));
                    }
                }
                if (lower.isEmpty() || lower.stream().anyMatch(String::isEmpty)) {
                    throw new RootfsException("overlay rootfs mount without a usable lowerdir: " + m.getOptionsList());
                }
                // a reused snapshot's upper may already hold changes: keep them, read-only, above the image
                if (upper != null && !isEmptyDir(upper)) {
                    layers.add(new LayerDir(upper, false));
                }
                for (String l : lower) {
                    layers.add(new LayerDir(existingDir(Path.of(l), "lowerdir"), true));
                }
                return new RootfsSource(layers);
            }
            case "bind", "rbind" -> {
                return new RootfsSource(List.of(new LayerDir(existingDir(Path.of(m.getSource()), "bind source"), false)));
            }
            default -> throw new RootfsException("rootfs mount type '" + m.getType()
                    + "' is not supported (overlay or bind; layers reach the VM as dm-verity EROFS disks)");
        }
    }

    private static Path existingDir(Path p, String what) throws RootfsException {
        if (!p.isAbsolute()) {
            throw new RootfsException(what + " " + p + " is not an absolute path");
        }
        if (!Files.isDirectory(p)) {
            throw new RootfsException(what + " " + p + " is not a directory");
        }
        return p;
    }

    private static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return true;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }
}
