package io.katacc.shim.rootfs;

import io.katacc.agent.api.Storage;
import io.katacc.shim.hypervisor.BlockDevice;
import io.katacc.shim.hypervisor.PciPath;
import io.katacc.verity.cache.LayerCache;
import io.katacc.verity.dm.KataVerityOptions;
import io.katacc.verity.layer.LayerImage;
import io.katacc.verity.layer.LayerImageBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image layers of one pod's containers: each layer directory becomes an EROFS + dm-verity image, is
 * attached to the VM once (shared by every container that uses it) and is described to the agent as a
 * {@code blk} storage carrying its verity parameters; an {@code overlayfs} storage stacks the layers under a
 * writable upper directory that lives in guest memory. With {@link LayerStorageLayout#MULTI_LAYER_EROFS} the
 * layers are Kata runtime-rs' multi-layer EROFS group at the container's rootfs instead, stacked by the agent.
 */
public final class PodLayers {
    private static final Logger log = LoggerFactory.getLogger(PodLayers.class);
    public static final String GUEST_RUN = "/run/kata-containers";

    /** Attaches and detaches disks of the pod's VM. */
    public interface Disks {
        PciPath attach(BlockDevice disk) throws IOException;

        void detach(String id) throws IOException;
    }

    /** What the agent gets for one container: its storages (layers first, then the overlay) and root path. */
    public record Prepared(List<Storage> storages, String rootPath) {
    }

    private record Attached(String diskId, PciPath path, Path scratchImage, int refs) {
        Attached withRefs(int r) {
            return new Attached(diskId, path, scratchImage, r);
        }
    }

    private final LayerCache cache;
    private final LayerImageBuilder builder;
    private final Path scratch;
    private final Disks disks;
    private final LayerStorageLayout layout;
    private final Map<String, Attached> byRootHash = new HashMap<>();
    private final Map<String, List<String>> layersOf = new HashMap<>();

    /**
     * @param cache   images of immutable layers, shared across pods
     * @param scratch where images of mutable layers go; removed with the pod
     */
    public PodLayers(LayerCache cache, LayerImageBuilder builder, Path scratch, Disks disks, LayerStorageLayout layout) {
        this.layout = layout;
        this.cache = cache;
        this.builder = builder;
        this.scratch = scratch;
        this.disks = disks;
    }

    public synchronized Prepared prepare(String containerId, RootfsSource source) throws IOException {
        if (layersOf.containsKey(containerId)) {
            throw new IllegalStateException("layers of " + containerId + " are already prepared");
        }
        List<String> hashes = new ArrayList<>();
        List<Storage> storages = new ArrayList<>();
        try {
            Map<String, LayerImage> images = new LinkedHashMap<>();
            for (int i = 0; i < source.layers().size(); i++) {
                LayerDir l = source.layers().get(i);
                LayerImage img = l.immutable()
                        ? cache.getOrBuildFromDirectory(snapshotKey(l.dir()), l.dir())
                        : builder.buildFromDirectory(l.dir(), Files.createDirectories(scratch)
                                .resolve(containerId + "-" + i + ".img"));
                images.put(HexFormat.of().formatHex(img.verity().rootHash()), img);
            }
            for (Map.Entry<String, LayerImage> e : images.entrySet()) {
                String hash = e.getKey();
                Attached a = byRootHash.get(hash);
                if (a == null) {
                    String id = "layer-" + hash.substring(0, 16);
                    PciPath path = disks.attach(new BlockDevice(id, e.getValue().image(), true));
                    Path scratchImage = e.getValue().image().startsWith(scratch) ? e.getValue().image() : null;
                    a = new Attached(id, path, scratchImage, 0);
                    log.info("layer {} attached as {} at {}", hash, id, path);
                } else if (e.getValue().image().startsWith(scratch) && !e.getValue().image().equals(a.scratchImage())) {
                    Files.deleteIfExists(e.getValue().image()); // same content already attached
                }
                byRootHash.put(hash, a.withRefs(a.refs() + 1));
                hashes.add(hash);
                Storage.Builder layer = Storage.newBuilder().setDriver("blk").setSource(a.path().toString())
                        .setFstype("erofs").addOptions("ro");
                if (layout == LayerStorageLayout.MULTI_LAYER_EROFS) {
                    // the agent stacks the group in this order (top first) at the container's rootfs
                    layer.addOptions("X-kata.overlay-lower").addOptions("X-kata.multi-layer=true")
                            .setMountPoint(GUEST_RUN + "/" + containerId + "/rootfs");
                } else {
                    layer.setMountPoint(layerMountPoint(hash));
                }
                storages.add(layer.addAllOptions(KataVerityOptions.toOptions(e.getValue().verity())).build());
            }
        } catch (IOException | RuntimeException e) {
            releaseHashes(hashes);
            throw e;
        }
        layersOf.put(containerId, hashes);
        String base = GUEST_RUN + "/" + containerId;
        if (layout == LayerStorageLayout.MULTI_LAYER_EROFS) {
            return new Prepared(storages, base + "/rootfs");
        }
        String lower = String.join(":", hashes.stream().map(PodLayers::layerMountPoint).toList());
        storages.add(Storage.newBuilder().setDriver("overlayfs").setSource("overlay").setFstype("overlay")
                .addOptions("lowerdir=" + lower).addOptions("upperdir=" + base + "/upper")
                .addOptions("workdir=" + base + "/work").setMountPoint(base + "/rootfs").build());
        return new Prepared(storages, base + "/rootfs");
    }

    /** After the agent removed the container: detach the layers no other container uses. */
    public synchronized void release(String containerId) {
        List<String> hashes = layersOf.remove(containerId);
        if (hashes != null) {
            releaseHashes(hashes);
        }
    }

    private void releaseHashes(List<String> hashes) {
        for (String h : hashes) {
            Attached a = byRootHash.get(h);
            if (a == null) {
                continue;
            }
            if (a.refs() > 1) {
                byRootHash.put(h, a.withRefs(a.refs() - 1));
                continue;
            }
            byRootHash.remove(h);
            try {
                disks.detach(a.diskId());
                if (a.scratchImage() != null) {
                    Files.deleteIfExists(a.scratchImage());
                }
            } catch (IOException | RuntimeException e) {
                log.warn("detaching layer {} ({}): {}", h, a.diskId(), e.getMessage());
            }
        }
    }

    public static String layerMountPoint(String rootHashHex) {
        return GUEST_RUN + "/layers/" + rootHashHex;
    }

    /**
     * A committed snapshot never changes, so its identity (path, inode, change time) names its content;
     * hashing the files again on every pod start would cost as much as building the image.
     */
    static String snapshotKey(Path dir) throws IOException {
        Path real = dir.toRealPath();
        Map<String, Object> a = Files.readAttributes(real, "unix:dev,ino,ctime", LinkOption.NOFOLLOW_LINKS);
        String id = real + "\0" + a.get("dev") + ":" + a.get("ino") + "\0" + a.get("ctime");
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
