package io.katacc.shim.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.agent.api.Storage;
import io.katacc.shim.hypervisor.BlockDevice;
import io.katacc.shim.hypervisor.PciPath;
import io.katacc.verity.cache.LayerCache;
import io.katacc.verity.layer.LayerImageBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storages a container's two layers become, in each layout the agent understands. */
class PodLayersTest {
    @TempDir
    Path tmp;

    private PodLayers layers(LayerStorageLayout layout, List<String> attached) throws Exception {
        LayerImageBuilder builder = new LayerImageBuilder();
        return new PodLayers(new LayerCache(tmp.resolve("cache"), builder), builder, tmp.resolve("scratch"),
                new PodLayers.Disks() {
                    @Override
                    public PciPath attach(BlockDevice disk) {
                        attached.add(disk.id());
                        return PciPath.of(0x10 + attached.size() - 1, 0);
                    }

                    @Override
                    public void detach(String id) {
                        attached.remove(id);
                    }
                }, layout);
    }

    private RootfsSource twoLayers() throws Exception {
        Path top = Files.createDirectories(tmp.resolve("top"));
        Files.writeString(top.resolve("a"), "top");
        Path bottom = Files.createDirectories(tmp.resolve("bottom"));
        Files.writeString(bottom.resolve("b"), "bottom");
        return new RootfsSource(List.of(new LayerDir(top, false), new LayerDir(bottom, false)));
    }

    @Test
    void perLayerStoragesShareAMountPointPerLayerUnderAnOverlayStorage() throws Exception {
        List<String> attached = new ArrayList<>();
        PodLayers.Prepared p = layers(LayerStorageLayout.PER_LAYER, attached).prepare("c1", twoLayers());
        assertEquals(List.of("blk", "blk", "overlayfs"), p.storages().stream().map(Storage::getDriver).toList());
        Storage overlay = p.storages().get(2);
        assertEquals("/run/kata-containers/c1/rootfs", overlay.getMountPoint());
        assertTrue(overlay.getOptionsList().contains("lowerdir=" + p.storages().get(0).getMountPoint() + ":"
                + p.storages().get(1).getMountPoint()), overlay.toString());
        assertTrue(p.storages().get(0).getMountPoint().startsWith("/run/kata-containers/layers/"));
        assertEquals(2, attached.size());
    }

    @Test
    void multiLayerErofsIsOneGroupAtTheRootfsInOverlayOrder() throws Exception {
        List<String> attached = new ArrayList<>();
        PodLayers.Prepared p = layers(LayerStorageLayout.MULTI_LAYER_EROFS, attached).prepare("c1", twoLayers());
        assertEquals("/run/kata-containers/c1/rootfs", p.rootPath());
        assertEquals(2, p.storages().size(), "no overlayfs storage: the agent stacks the group");
        for (Storage s : p.storages()) {
            assertEquals("blk", s.getDriver());
            assertEquals("erofs", s.getFstype());
            assertEquals("/run/kata-containers/c1/rootfs", s.getMountPoint());
            assertTrue(s.getOptionsList().containsAll(List.of("ro", "X-kata.overlay-lower", "X-kata.multi-layer=true",
                    "X-kata.dmverity-enabled=true")), s.toString());
        }
        assertEquals(List.of("10/00", "11/00"), p.storages().stream().map(Storage::getSource).toList(),
                "the top layer first, as overlayfs' lowerdir lists it");
    }
}
