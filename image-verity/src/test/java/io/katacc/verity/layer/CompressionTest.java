package io.katacc.verity.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.github.luben.zstd.ZstdOutputStream;
import io.katacc.verity.testing.LayerFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same tar, plain, gzip or zstd, gives the same EROFS bytes; the default salt follows the blob. */
class CompressionTest {
    @TempDir
    Path tmp;

    private interface Wrap {
        OutputStream wrap(OutputStream o) throws Exception;
    }

    private static byte[] blob(Wrap w) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream o = w.wrap(bos); LayerFixture f = new LayerFixture(o)) {
            f.dir("d", 0755, 0, 0, Map.of("user.x", "1"));
            for (int i = 0; i < 20; i++) {
                f.file("d/f" + i, i * 3001L, i, 0644, 0, 0, Map.of());
            }
        }
        return bos.toByteArray();
    }

    private LayerImage build(String name, byte[] blob) throws Exception {
        return new LayerImageBuilder(1).build(new ByteArrayInputStream(blob), tmp.resolve(name), null);
    }

    @Test
    void plainGzipAndZstdGiveTheSameFilesystem() throws Exception {
        LayerImage plain = build("plain", blob(o -> o));
        LayerImage gz = build("gz", blob(GZIPOutputStream::new));
        LayerImage zst = build("zst", blob(ZstdOutputStream::new));
        int n = (int) plain.verity().dataBytes();
        byte[] p = Arrays.copyOf(Files.readAllBytes(plain.image()), n);
        assertArrayEquals(p, Arrays.copyOf(Files.readAllBytes(gz.image()), n));
        assertArrayEquals(p, Arrays.copyOf(Files.readAllBytes(zst.image()), n));
        assertEquals(plain.verity().dataBytes(), zst.verity().dataBytes());
        assertNotEquals(plain.verity().saltHex(), gz.verity().saltHex(), "salt is derived from the blob bytes");
    }
}
