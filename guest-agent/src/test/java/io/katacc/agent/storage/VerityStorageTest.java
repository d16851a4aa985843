package io.katacc.agent.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katacc.agent.api.Storage;
import io.katacc.agent.error.AgentException;
import io.katacc.verity.dm.DeviceMapper;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerityStorageTest {

    private static final String ROOT = "817250f1a3e336da76f5bd3fa784e1b26d959b9c131876815ba2604048b70c18";
    @TempDir
    Path tmp;

    private static Storage layer(String rootHash) {
        return Storage.newBuilder().setDriver("blk").setSource("/dev/vdb").setFstype("erofs")
                .setMountPoint("/run/kata-containers/sandbox/layers/l1")
                .addAllOptions(List.of("ro", "X-kata.multi-layer=true", "X-kata.dmverity-enabled=true",
                        "X-kata.dmverity.roothash=" + rootHash, "X-kata.dmverity.hashoffset=8192",
                        "X-kata.dmverity.blocksize=4096", "X-kata.dmverity.hashsize=4096",
                        "X-kata.dmverity.algorithm=sha256", "X-kata.dmverity.salt=00ff", "X-kata.dmverity.hashtype=1"))
                .build();
    }

    @Test
    void kataOptionsBecomeVerityParams() {
        var p = VerityOptions.parse(layer(ROOT));
        assertArrayEquals(HexFormat.of().parseHex(ROOT), p.rootHash());
        assertEquals(8192, p.hashOffset());
        assertEquals(2, p.dataBlocks());
        assertArrayEquals(new byte[] {0, (byte) 0xff}, p.salt());
    }

    @Test
    void wrongRootHashIsRefusedBeforeAnythingIsMounted() {
        Storages storages = new Storages(tmp.resolve("run"), new Mounter());
        var shortHash = assertThrows(AgentException.class, () -> storages.mountAll(List.of(layer("abcd"))));
        assertEquals(AgentException.Kind.INVALID_ARGUMENT, shortHash.kind());
        assertEquals("storage /run/kata-containers/sandbox/layers/l1: X-kata.dmverity.roothash must be 64 hex digits"
                + " (sha256), got 4", shortHash.getMessage());
        var notHex = assertThrows(AgentException.class, () -> storages.mountAll(List.of(layer("zz" + ROOT.substring(2)))));
        assertTrue(notHex.getMessage().contains("is not hex"), notHex.getMessage());
        var unverified = assertThrows(AgentException.class, () -> storages.mountAll(List.of(layer(ROOT).toBuilder()
                .clearOptions().addOptions("ro").build())));
        assertTrue(unverified.getMessage().contains("without X-kata.dmverity-enabled=true is refused"));
        assertTrue(storages.mounted().isEmpty());
    }

    @Test
    void withoutDeviceMapperTheErrorSaysSo() {
        String why = DeviceMapper.unavailableReason();
        assumeTrue(why != null, "this kernel has device-mapper; the VM tests cover opening");
        Storages storages = new Storages(tmp.resolve("run"), new Mounter());
        var e = assertThrows(AgentException.class, () -> storages.mountAll(List.of(layer(ROOT))));
        assertEquals(AgentException.Kind.FAILED_PRECONDITION, e.kind());
    }
}
