package io.katacc.shim.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.shim.api.types.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** containerd's rootfs mounts as the layer directories the guest gets. */
class RootfsSourceTest {
    @TempDir
    Path tmp;

    @Test
    void overlaySnapshotGivesItsLowerLayersTopFirstAndKeepsAnUsedUpper() throws Exception {
        Path l1 = Files.createDirectories(tmp.resolve("1/fs"));
        Path l2 = Files.createDirectories(tmp.resolve("2/fs"));
        Path upper = Files.createDirectories(tmp.resolve("3/fs"));
        Mount m = Mount.newBuilder().setType("overlay").setSource("overlay").addOptions("index=off")
                .addOptions("workdir=" + tmp.resolve("3/work")).addOptions("upperdir=" + upper)
                .addOptions("lowerdir=" + l2 + ":" + l1).build();
        RootfsSource fresh = RootfsSource.of(List.of(m), tmp, "rootfs");
        assertEquals(List.of(new LayerDir(l2, true), new LayerDir(l1, true)), fresh.layers());

        Files.writeString(upper.resolve("changed"), "x");
        RootfsSource reused = RootfsSource.of(List.of(m), tmp, "rootfs");
        assertEquals(new LayerDir(upper, false), reused.layers().getFirst(), "changes kept, read-only, on top");
        assertEquals(3, reused.layers().size());
    }

    @Test
    void bindMountAndBundleRootAreOneMutableLayer() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("native/fs"));
        assertEquals(List.of(new LayerDir(dir, false)), RootfsSource.of(List.of(Mount.newBuilder().setType("bind")
                .setSource(dir.toString()).addOptions("rbind").build()), tmp, "rootfs").layers());
        Path bundleRoot = Files.createDirectories(tmp.resolve("rootfs"));
        assertEquals(List.of(new LayerDir(bundleRoot, false)), RootfsSource.of(List.of(), tmp, "rootfs").layers());
    }

    @Test
    void unusableRootfsIsRefusedWithTheReason() {
        RootfsException type = assertThrows(RootfsException.class, () -> RootfsSource.of(List.of(
                Mount.newBuilder().setType("nfs").setSource("host:/x").build()), tmp, "rootfs"));
        assertTrue(type.getMessage().contains("rootfs mount type 'nfs' is not supported"), type.getMessage());
        RootfsException missing = assertThrows(RootfsException.class, () -> RootfsSource.of(List.of(), tmp, "nope"));
        assertTrue(missing.getMessage().contains("is not a directory"), missing.getMessage());
        RootfsException noLower = assertThrows(RootfsException.class, () -> RootfsSource.of(List.of(
                Mount.newBuilder().setType("overlay").addOptions("upperdir=/x").build()), tmp, "rootfs"));
        assertTrue(noLower.getMessage().contains("without a usable lowerdir"), noLower.getMessage());
    }
}
