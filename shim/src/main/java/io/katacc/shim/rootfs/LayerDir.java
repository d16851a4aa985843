package io.katacc.shim.rootfs;

import java.nio.file.Path;

/**
 * One read-only layer of a container's root filesystem, as a host directory in overlayfs format.
 *
 * @param immutable true for a committed snapshot (containerd never changes it again), so its image can be
 *                  cached across pods; false for a directory the host may still change
 */
public record LayerDir(Path dir, boolean immutable) {
}
