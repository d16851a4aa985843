package io.katacc.verity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.verity.testing.LayerFixture;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new Run(rc, out.toString(), err.toString());
    }

    @Test
    void buildPrintsOneJsonObjectAndVerifyChecksIt() throws Exception {
        Path tar = tmp.resolve("l.tar");
        try (OutputStream o = Files.newOutputStream(tar); LayerFixture f = new LayerFixture(o)) {
            f.file("a", 20000, 1, 0644, 0, 0, Map.of());
        }
        Path img = tmp.resolve("l.img");
        Run b = run("build", tar.toString(), "-o", img.toString());
        assertEquals(0, b.exit(), b.err());
        JsonNode j = new ObjectMapper().readTree(b.out());
        List<String> names = new java.util.ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("rootHash", "salt", "dataBytes", "hashOffset", "hashAlgorithm", "dataBlockSize",
                "hashBlockSize"), names);
        assertEquals(j.get("dataBytes").asLong(), j.get("hashOffset").asLong());
        String root = j.get("rootHash").asText();
        assertEquals(0, run("verify", img.toString(), root).exit());

        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(4096 + 10);
            f.write(0xEE);
        }
        Run bad = run("verify", img.toString(), root);
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("data block 1 "), bad.err());
    }

    @Test
    void badLayerAndUsageErrors() throws Exception {
        Path tar = tmp.resolve("bad.tar");
        Files.writeString(tar, "not a tar header ".repeat(80));
        Run r = run("build", tar.toString(), "-o", tmp.resolve("x.img").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("kcc-verity: "), r.err());
        assertTrue(Files.notExists(tmp.resolve("x.img")), "no partial image");
        assertEquals(2, run("frobnicate").exit());
    }
}
