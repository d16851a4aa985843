package io.katacc.shim.rootfs;

import java.util.Arrays;
import java.util.Optional;

/** How image layers are described to the agent ({@code [runtime] layer_storage}, our key). */
public enum LayerStorageLayout {
    /**
     * One {@code blk} storage per layer at a pod-wide mount point per root hash (mounted once, shared by the
     * pod's containers) plus an {@code overlayfs} storage: Kata's Go runtime's layout for EROFS layers.
     */
    PER_LAYER("per-layer"),
    /**
     * Kata runtime-rs' multi-layer EROFS group: one {@code blk} storage per layer, all at the container's
     * rootfs, marked {@code X-kata.multi-layer=true} and {@code X-kata.overlay-lower}; the agent stacks them.
     */
    MULTI_LAYER_EROFS("multi-layer-erofs");

    private final String key;

    LayerStorageLayout(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<LayerStorageLayout> fromKey(String key) {
        return Arrays.stream(values()).filter(l -> l.key.equals(key)).findFirst();
    }
}
