package io.katacc.verity.dm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.verity.hashtree.VerityParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KataVerityOptionsTest {
    private static final VerityParams P = new VerityParams("sha256", 4096, 4096, 13, 53248, new byte[] {1, 2, 3},
            new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2});

    @Test
    void roundTripsThroughStorageOptions() {
        List<String> opts = new ArrayList<>(List.of("ro", "X-kata.overlay-lower", "X-kata.multi-layer=true"));
        opts.addAll(KataVerityOptions.toOptions(P));
        assertTrue(opts.contains("X-kata.dmverity.hashoffset=53248"));
        assertTrue(opts.contains("X-kata.dmverity.salt=010203"));
        VerityParams back = KataVerityOptions.parse(opts);
        assertEquals(P.dataBlocks(), back.dataBlocks());
        assertEquals(P.hashStartBlock(), back.hashStartBlock());
        assertArrayEquals(P.rootHash(), back.rootHash());
        assertEquals(P.tableParams("/dev/vdb", "/dev/vdb"), back.tableParams("/dev/vdb", "/dev/vdb"));
    }

    @Test
    void rejectsMissingOrBadValues() {
        List<String> base = KataVerityOptions.toOptions(P);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KataVerityOptions.parse(
                base.stream().filter(o -> !o.contains("roothash")).toList()));
        assertTrue(e.getMessage().contains("missing option X-kata.dmverity.roothash"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KataVerityOptions.parse(
                base.stream().map(o -> o.replace("hashoffset=53248", "hashoffset=100")).toList()));
        assertTrue(e.getMessage().contains("hashoffset=100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KataVerityOptions.parse(
                base.stream().map(o -> o.replace("roothash=09", "roothash=zz")).toList()));
        assertTrue(e.getMessage().contains("invalid") || e.getMessage().contains("hex"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KataVerityOptions.parse(List.of("ro")));
        List<String> noSb = new ArrayList<>(base);
        noSb.add("X-kata.dmverity.no-superblock=true");
        assertThrows(UnsupportedOperationException.class, () -> KataVerityOptions.parse(noSb));
    }
}
