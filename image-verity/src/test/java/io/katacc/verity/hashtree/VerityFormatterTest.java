package io.katacc.verity.hashtree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.verity.testing.LayerFixture;
import io.katacc.verity.testing.Tools;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our hash area against veritysetup's, byte for byte, and both verifiers against corruption. */
class VerityFormatterTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void tools() {
        Tools.assumeTool("/usr/sbin/veritysetup", "cryptsetup-bin");
    }

    private Path data(long blocks, long seed) throws Exception {
        Path p = tmp.resolve("data-" + blocks);
        try (OutputStream out = Files.newOutputStream(p); var in = LayerFixture.content(seed, blocks * 4096)) {
            in.transferTo(out);
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 127, 128, 129, 16385, 3000})
    void appendedAreaIsByteIdenticalToVeritysetup(long blocks) throws Exception {
        byte[] salt = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        Path ours = data(blocks, blocks);
        Path theirs = tmp.resolve("theirs");
        Files.copy(ours, theirs);
        VerityParams p = new VerityFormatter(2).appendTo(ours, blocks * 4096, salt);
        assertEquals(blocks * 4096, p.hashOffset());
        String uuid = VerityFormatter.uuidFor(salt, p.rootHash()).toString();
        Tools.Result r = Tools.run(List.of("veritysetup", "format", "--hash=sha256", "--data-block-size=4096",
                "--hash-block-size=4096", "--salt=" + HexFormat.of().formatHex(salt), "--uuid=" + uuid,
                "--hash-offset=" + p.hashOffset(), "--data-blocks=" + blocks, theirs.toString(), theirs.toString()));
        assertEquals(0, r.exit(), r.output());
        Matcher m = Pattern.compile("Root hash:\\s+([0-9a-f]{64})").matcher(r.output());
        assertTrue(m.find(), r.output());
        assertEquals(m.group(1), p.rootHashHex());
        assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours), "hash area differs from veritysetup's");
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 200})
    void flippedDataByteFailsBothVerifiersNamingTheBlock(long blocks) throws Exception {
        Path img = data(blocks, 7);
        VerityParams p = new VerityFormatter(1).appendTo(img, blocks * 4096, new byte[32]);
        List<String> vs = List.of("veritysetup", "verify", "--hash-offset=" + p.hashOffset(), img.toString(),
                img.toString(), p.rootHashHex());
        assertEquals(0, Tools.run(vs).exit(), "veritysetup verify must accept our tree");
        assertTrue(new VerityVerifier().verify(img, p.hashOffset(), p.rootHash()).intact());

        long block = blocks - 2;
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(block * 4096 + 123);
            int b = f.read();
            f.seek(block * 4096 + 123);
            f.write(b ^ 0x40);
        }
        Tools.Result r = Tools.run(vs);
        assertNotEquals(0, r.exit(), "veritysetup verify must reject: " + r.output());
        Verification v = new VerityVerifier(2).verify(img, p.hashOffset(), p.rootHash());
        assertFalse(v.intact());
        assertTrue(v.problem().startsWith("data block " + block + " "), v.problem());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void corruptHashAreaOrWrongRootIsRejected(int which) throws Exception {
        Path img = data(300, 9);
        VerityParams p = new VerityFormatter(1).appendTo(img, 300 * 4096, new byte[] {1, 2, 3});
        byte[] root = p.rootHash();
        if (which == 0) {
            try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                f.seek(p.treeOffset() + 5); // top level block
                f.write(0x55);
            }
        } else {
            root[0] ^= 1;
        }
        Verification v = new VerityVerifier().verify(img, p.hashOffset(), root);
        assertFalse(v.intact());
        assertTrue(v.problem().contains(which == 0 ? "hash block" : "root hash mismatch"), v.problem());
    }
}
