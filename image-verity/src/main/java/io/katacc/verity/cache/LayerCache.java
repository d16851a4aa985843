package io.katacc.verity.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.verity.hashtree.VerityParams;
import io.katacc.verity.layer.LayerImage;
import io.katacc.verity.layer.LayerImageBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Built layer images keyed by layer digest. An entry is a directory (image + verity.json) that appears
 * by one atomic rename, so readers never see a torn entry; concurrent builders of the same digest (in
 * this or another process) each build privately and the first rename wins. A failed build leaves nothing.
 */
public final class LayerCache {
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final String IMAGE = "layer.img";
    private static final String META = "verity.json";

    /** Produces the layer blob; called only on a cache miss. */
    public interface BlobSource {
        InputStream open() throws IOException;
    }

    private final Path root;
    private final LayerImageBuilder builder;
    private final ObjectMapper json = new ObjectMapper();
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public LayerCache(Path root, LayerImageBuilder builder) throws IOException {
        this.root = Files.createDirectories(root);
        this.builder = builder;
    }

    public Optional<LayerImage> lookup(String digest) throws IOException {
        Path dir = entryDir(digest);
        Path meta = dir.resolve(META);
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        JsonNode n = json.readTree(meta.toFile());
        VerityParams p = new VerityParams(n.get("hashAlgorithm").asText(), n.get("dataBlockSize").asInt(),
                n.get("hashBlockSize").asInt(), n.get("dataBytes").asLong() / n.get("dataBlockSize").asInt(),
                n.get("hashOffset").asLong(), HexFormat.of().parseHex(n.get("salt").asText()),
                HexFormat.of().parseHex(n.get("rootHash").asText()));
        return Optional.of(new LayerImage(dir.resolve(IMAGE), p, n.path("inodes").asLong()));
    }

    public LayerImage getOrBuild(String digest, BlobSource source) throws IOException {
        return getOrBuild(digest, out -> {
            try (InputStream in = source.open()) {
                return builder.build(in, out, null);
            }
        });
    }

    /**
     * An unpacked layer directory (overlayfs format), cached under {@code key}: the caller's name for that
     * directory's immutable content (a committed snapshot's identity), in the same sha256:hex form.
     */
    public LayerImage getOrBuildFromDirectory(String key, java.nio.file.Path layerDir) throws IOException {
        return getOrBuild(key, out -> builder.buildFromDirectory(layerDir, out));
    }

    private interface ImageWriter {
        LayerImage write(Path output) throws IOException;
    }

    private LayerImage getOrBuild(String digest, ImageWriter writer) throws IOException {
        entryDir(digest); // validate before locking or building
        ReentrantLock lock = locks.computeIfAbsent(digest, d -> new ReentrantLock());
        lock.lock();
        try {
            Optional<LayerImage> hit = lookup(digest);
            if (hit.isPresent()) {
                return hit.get();
            }
            Path tmp = Files.createTempDirectory(root, ".build-");
            try {
                LayerImage built = writer.write(tmp.resolve(IMAGE));
                var m = new java.util.LinkedHashMap<>(built.verity().toJsonMap());
                m.put("digest", digest);
                m.put("inodes", built.inodes());
                json.writeValue(tmp.resolve(META).toFile(), m);
                try {
                    Files.move(tmp, entryDir(digest), StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("cache dir " + root + " does not support atomic rename", e);
                } catch (FileSystemException raced) {
                    // rename(2) onto a non-empty directory fails: another process finished this digest first
                    if (lookup(digest).isEmpty()) {
                        throw raced;
                    }
                }
                return lookup(digest).orElseThrow(() -> new IOException("cache entry for " + digest + " vanished"));
            } finally {
                deleteTree(tmp);
            }
        } finally {
            lock.unlock();
        }
    }

    private Path entryDir(String digest) {
        if (!DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("layer digest must look like sha256:<64 lowercase hex>, got " + digest);
        }
        return root.resolve(digest.replace(':', '-'));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
