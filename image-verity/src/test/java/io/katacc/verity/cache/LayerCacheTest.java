package io.katacc.verity.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.verity.hashtree.VerityVerifier;
import io.katacc.verity.layer.LayerImage;
import io.katacc.verity.layer.LayerImageBuilder;
import io.katacc.verity.testing.LayerFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCacheTest {
    @TempDir
    Path tmp;

    private static byte[] layer() throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (LayerFixture f = new LayerFixture(bos)) {
            f.dir("a", 0755, 0, 0, Map.of());
            for (int i = 0; i < 50; i++) {
                f.file("a/f" + i, i * 1000L, i, 0644, 0, 0, Map.of());
            }
        }
        return bos.toByteArray();
    }

    @Test
    void concurrentBuildersShareOneIntactEntry() throws Exception {
        byte[] blob = layer();
        String digest = "sha256:" + "cd".repeat(32);
        AtomicInteger builds = new AtomicInteger();
        // two caches on one directory stand in for two processes
        LayerCache a = new LayerCache(tmp, new LayerImageBuilder(1));
        LayerCache b = new LayerCache(tmp, new LayerImageBuilder(1));
        List<Future<LayerImage>> results = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                LayerCache c = i % 2 == 0 ? a : b;
                results.add(pool.submit(() -> c.getOrBuild(digest, () -> {
                    builds.incrementAndGet();
                    return new ByteArrayInputStream(blob);
                })));
            }
        }
        LayerImage first = results.get(0).get();
        for (Future<LayerImage> r : results) {
            assertArrayEquals(first.verity().rootHash(), r.get().verity().rootHash());
            assertEquals(first.image(), r.get().image());
        }
        assertTrue(builds.get() >= 1 && builds.get() <= 2, "per-process lock: at most one build per cache, got "
                + builds.get());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(tmp.resolve(digest.replace(':', '-'))), s.toList(), "no temp dirs left");
        }
        assertTrue(new VerityVerifier().verify(first.image(), first.verity().hashOffset(),
                first.verity().rootHash()).intact());
        assertEquals(first.verity().rootHashHex(),
                a.lookup(digest).orElseThrow().verity().rootHashHex(), "lookup reads the stored parameters back");
    }

    @Test
    void rejectsMalformedDigest() throws Exception {
        LayerCache c = new LayerCache(tmp, new LayerImageBuilder(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.getOrBuild("sha256:../../etc", () -> new ByteArrayInputStream(new byte[0])));
        assertTrue(e.getMessage().contains("sha256:<64 lowercase hex>"));
    }
}
