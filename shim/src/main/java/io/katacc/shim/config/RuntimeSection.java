package io.katacc.shim.config;

import io.katacc.shim.rootfs.LayerStorageLayout;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code [runtime]} section.
 *
 * @param defaultPolicy policy document used when a pod carries no policy annotation
 *                      ({@code default_policy}, our key; Kata bakes this into its build)
 * @param enableDebug   shim debug logging
 * @param stateDir      where the shim keeps per-sandbox state (VM sockets, pid files)
 * @param layerCacheDir EROFS + dm-verity images of committed image layers, shared by pods
 *                      ({@code layer_cache_dir}, our key)
 * @param layerStorage  how layers are described to the agent ({@code layer_storage}, our key:
 *                      "per-layer", the default, or "multi-layer-erofs")
 */
public record RuntimeSection(Optional<Path> defaultPolicy, boolean enableDebug, Path stateDir, Path layerCacheDir,
                             LayerStorageLayout layerStorage) {
}
