package io.katacc.agent.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.agent.api.Storage;
import io.katacc.agent.error.AgentException;
import io.katacc.verity.hashtree.VerityParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kata runtime-rs' multi-layer EROFS storages (one blk storage per layer, or one GPT disk with a partition
 * per layer, all at the rootfs mount point) as the agent plans and mounts them. Mount, umount and dm-verity
 * are recorded, not performed: this host has no device-mapper (the VM tests mount for real).
 */
class MultiLayerErofsTest {

    private static final String ROOTFS = "/run/kata-containers/shared/containers/passthrough/c1/rootfs";
    @TempDir
    Path tmp;
    private final List<String> calls = new ArrayList<>();
    private Storages storages;
    private Path run;
    private Path dev;
    private String failOpenOf;

    @BeforeEach
    void setUp() throws Exception {
        Path sys = tmp.resolve("sys/devices");
        dev = Files.createDirectories(tmp.resolve("dev"));
        for (int i = 0; i < 3; i++) {
            String disk = "vd" + (char) ('b' + i);
            Files.createDirectories(sys.resolve("pci0000:00/0000:00:1" + i + ".0/0000:0" + (i + 1) + ":00.0/virtio" + i
                    + "/block/" + disk));
            Files.createFile(dev.resolve(disk));
        }
        run = tmp.resolve("run");
        Mounter mounter = new Mounter() {
            @Override
            public void mount(String source, Path target, String fstype, List<String> options) {
                calls.add("mount " + fstype + " " + rel(source) + " " + rel(target.toString()) + " " + rel(String.join(",", options)));
            }

            @Override
            public void unmount(Path target) {
                calls.add("umount " + rel(target.toString()));
            }
        };
        VerityDevices verity = new VerityDevices() {
            @Override
            public String unavailableReason() {
                return null;
            }

            @Override
            public String open(String name, String device, VerityParams params) throws IOException {
                if (device.equals(failOpenOf)) {
                    throw new IOException("verity table rejected");
                }
                calls.add("verity " + rel(device) + " " + params.rootHashHex().substring(0, 4));
                return "/dev/mapper/" + name;
            }

            @Override
            public void remove(String name) {
                calls.add("remove " + name.substring(0, 9));
            }
        };
        storages = new Storages(run, mounter, new BlockDevices(sys, dev, Duration.ofMillis(200)), verity);
    }

    private String rel(String s) {
        return s.replace(run + "/shared/containers/passthrough/c1/", "").replace(dev + "/", "");
    }

    private static String hash(int i) {
        return String.valueOf((char) ('a' + i)).repeat(64);
    }

    private static Storage lower(String source, int i, String... extra) {
        List<String> opts = new ArrayList<>(List.of("ro", "X-kata.overlay-lower", "X-kata.multi-layer=true",
                "X-kata.dmverity-enabled=true", "X-kata.dmverity.roothash=" + hash(i), "X-kata.dmverity.hashoffset=8192"));
        opts.addAll(List.of(extra));
        return Storage.newBuilder().setDriver("blk").setSource(source).setFstype("erofs").setMountPoint(ROOTFS)
                .addAllOptions(opts).build();
    }

    @Test
    void oneDiskPerLayerBecomesVerifiedLowersUnderAnOverlayInGuestMemory() throws Exception {
        List<Storage> group = List.of(lower("10/00", 0), lower("11/00", 1), lower("12/00", 2));
        Storage shm = Storage.newBuilder().setDriver("ephemeral").setFstype("tmpfs").setSource("shm")
                .setMountPoint("/run/kata-containers/sandbox/shm").build();
        List<Storage> request = new ArrayList<>(group);
        request.add(1, shm); // other storages of the request may sit between the layers
        List<Path> mounts = storages.mountAll(request);

        assertEquals(List.of(
                "mount tmpfs shm " + run + "/sandbox/shm ",
                "verity vdb aaaa", "mount erofs /dev/mapper/kcc-aaaaaaaaaaaaaaaa-" + dmSuffix(0) + " multi-layer/lower-0 ro",
                "verity vdc bbbb", "mount erofs /dev/mapper/kcc-bbbbbbbbbbbbbbbb-" + dmSuffix(1) + " multi-layer/lower-1 ro",
                "verity vdd cccc", "mount erofs /dev/mapper/kcc-cccccccccccccccc-" + dmSuffix(2) + " multi-layer/lower-2 ro",
                "mount overlay overlay rootfs lowerdir=multi-layer/lower-0:multi-layer/lower-1:multi-layer/lower-2,"
                        + "upperdir=multi-layer/upper/upper,workdir=multi-layer/upper/work"), calls);
        Path upper = run.resolve("shared/containers/passthrough/c1/multi-layer/upper");
        assertTrue(Files.isDirectory(upper.resolve("upper")) && Files.isDirectory(upper.resolve("work")));
        assertEquals(5, mounts.size());

        calls.clear();
        storages.unmountAll(mounts);
        assertEquals(List.of("umount rootfs", "umount multi-layer/lower-2", "remove kcc-ccccc", "umount multi-layer/lower-1",
                "remove kcc-bbbbb", "umount multi-layer/lower-0", "remove kcc-aaaaa", "umount " + run + "/sandbox/shm"), calls);
        assertFalse(Files.exists(upper), "the container's writes are given back with the overlay");
        assertTrue(storages.mounted().isEmpty());
    }

    private String dmSuffix(int i) throws Exception {
        String path = run.resolve("shared/containers/passthrough/c1/multi-layer/lower-" + i).toString();
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(d, 0, 4);
    }

    @Test
    void gptLayersAreThePartitionsOfOneDiskInPartitionOrder() throws Exception {
        for (int p = 1; p <= 3; p++) {
            Files.createFile(dev.resolve("vdb" + p));
        }
        storages.mountAll(List.of(
                lower("10/00", 2, "X-kata.gpt-partitioned=true", "X-kata.partition-number=3"),
                lower("10/00", 0, "X-kata.gpt-partitioned=true", "X-kata.partition-number=1"),
                lower("10/00", 1, "X-kata.gpt-partitioned=true", "X-kata.partition-number=2")));
        assertEquals(List.of("verity vdb1 aaaa", "verity vdb2 bbbb", "verity vdb3 cccc"),
                calls.stream().filter(c -> c.startsWith("verity")).toList());
        assertTrue(calls.getLast().contains("lowerdir=multi-layer/lower-0:multi-layer/lower-1:multi-layer/lower-2"));
        assertEquals(List.of("multi-layer/lower-0", "multi-layer/lower-1", "multi-layer/lower-2"),
                calls.stream().filter(c -> c.startsWith("mount erofs")).map(c -> c.split(" ")[3]).toList());
    }

    @Test
    void refusedGroupsSayWhyAndMountNothing() {
        assertRefused(AgentException.Kind.FAILED_PRECONDITION, "a writable upper layer on a host disk (blk 12/00) is refused",
                lower("10/00", 0), Storage.newBuilder().setDriver("blk").setSource("12/00").setFstype("ext4")
                        .setMountPoint(ROOTFS).addOptions("X-kata.overlay-upper").addOptions("X-kata.multi-layer=true").build());
        assertRefused(AgentException.Kind.INVALID_ARGUMENT, "layer without X-kata.dmverity-enabled=true is refused",
                lower("10/00", 0).toBuilder().clearOptions().addOptions("X-kata.overlay-lower")
                        .addOptions("X-kata.multi-layer=true").build());
        assertRefused(AgentException.Kind.UNIMPLEMENTED, "unsupported driver type 'scsi' for multi-layer erofs",
                lower("0:1", 0).toBuilder().setDriver("scsi").build());
        assertRefused(AgentException.Kind.UNIMPLEMENTED, "X-kata.mkdir.path= is not supported",
                lower("10/00", 0, "X-kata.mkdir.path={{ mount 0 }}/upper/etc:0755"));
        assertRefused(AgentException.Kind.INVALID_ARGUMENT, "X-kata.gpt-partitioned=true without X-kata.partition-number=",
                lower("10/00", 0, "X-kata.gpt-partitioned=true"));
        assertRefused(AgentException.Kind.INVALID_ARGUMENT, "must share a mount point",
                lower("10/00", 0), lower("11/00", 1).toBuilder()
                        .setMountPoint("/run/kata-containers/shared/containers/passthrough/c2/rootfs").build());
        assertRefused(AgentException.Kind.INVALID_ARGUMENT, "X-kata.dmverity.roothash must be 64 hex digits",
                lower("10/00", 0), lower("11/00", 1).toBuilder().addOptions("X-kata.dmverity.roothash=abcd").build());
    }

    @Test
    void aLayerThatFailsVerityUndoesTheLayersBeforeIt() {
        failOpenOf = dev.resolve("vdc").toString();
        AgentException e = assertThrows(AgentException.class,
                () -> storages.mountAll(List.of(lower("10/00", 0), lower("11/00", 1), lower("12/00", 2))));
        assertTrue(e.getMessage().contains("dm-verity open of " + dev.resolve("vdc") + " (11/00) failed: verity table rejected"),
                e.getMessage());
        assertEquals(List.of("verity vdb aaaa", "umount multi-layer/lower-0", "remove kcc-aaaaa"),
                calls.stream().filter(c -> !c.startsWith("mount")).toList());
        assertTrue(storages.mounted().isEmpty());
    }

    @Test
    void theSameRootfsTwiceIsCountedNotStacked() {
        List<Storage> group = List.of(lower("10/00", 0), lower("11/00", 1));
        List<Path> first = storages.mountAll(group);
        List<Path> second = storages.mountAll(group);
        assertEquals(3, calls.stream().filter(c -> c.startsWith("mount")).count(), "two layers and one overlay, once");
        storages.unmountAll(first);
        assertFalse(calls.stream().anyMatch(c -> c.startsWith("umount")), "still used");
        storages.unmountAll(second);
        assertEquals(3, calls.stream().filter(c -> c.startsWith("umount")).count());
    }

    private void assertRefused(AgentException.Kind kind, String text, Storage... group) {
        calls.clear();
        AgentException e = assertThrows(AgentException.class, () -> storages.mountAll(List.of(group)));
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertEquals(List.of(), calls, "nothing mounted for: " + e.getMessage());
    }
}
