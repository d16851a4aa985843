package io.katacc.agent.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katacc.agent.api.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mount point two containers name (a shared image layer) is mounted once and unmounted by its last user. */
class SharedStorageTest {
    @TempDir
    Path tmp;

    @Test
    void sharedMountPointIsCountedNotStacked() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting tmpfs needs root");
        Storages storages = new Storages(tmp.resolve("run"), new Mounter());
        Storage shm = Storage.newBuilder().setDriver("ephemeral").setFstype("tmpfs").setSource("shm")
                .setMountPoint("/run/kata-containers/layers/shared").build();
        Path target = storages.mapIntoRunDir(Path.of(shm.getMountPoint()));
        List<Path> first = storages.mountAll(List.of(shm));
        List<Path> second = storages.mountAll(List.of(shm));
        assertEquals(1, mountsAt(target), "mounted once");
        assertEquals(2, storages.users(target));
        Files.writeString(target.resolve("marker"), "x");

        storages.unmountAll(first);
        assertEquals(1, mountsAt(target), "still used by the second container");
        assertEquals("x", Files.readString(target.resolve("marker")));
        storages.unmountAll(second);
        assertEquals(0, mountsAt(target), "the last user unmounts it");
        assertEquals(0, storages.users(target));
    }

    private static long mountsAt(Path target) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.split(" ")[4].equals(target.toString())).count();
    }
}
