package io.katacc.verity.layer;

import io.katacc.verity.tar.LayerEntry;
import io.katacc.verity.tar.LayerVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Passes entries on and hashes what it saw (metadata and content, in order): a layer directory has no
 * blob digest, so this stands in for one when deriving the verity salt.
 */
final class DigestingVisitor implements LayerVisitor {
    private final LayerVisitor next;
    private final MessageDigest digest;

    DigestingVisitor(LayerVisitor next, MessageDigest digest) {
        this.next = next;
        this.digest = digest;
    }

    @Override
    public void entry(LayerEntry e, InputStream content) throws IOException {
        StringBuilder sb = new StringBuilder().append(e.path()).append('\0').append(e.kind()).append('\0')
                .append(e.mode()).append('\0').append(e.uid()).append('\0').append(e.gid()).append('\0')
                .append(e.mtimeSeconds()).append('.').append(e.mtimeNanos()).append('\0').append(e.size()).append('\0')
                .append(e.linkTarget()).append('\0').append(e.devMajor()).append(':').append(e.devMinor()).append('\0');
        digest.update(sb.toString().getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            digest.update(x.getKey().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(x.getValue());
            digest.update((byte) 0);
        }
        next.entry(e, new DigestInputStream(content, digest));
    }

    @Override
    public void opaque(String dirPath) throws IOException {
        digest.update(("opaque\0" + dirPath + "\0").getBytes(StandardCharsets.UTF_8));
        next.opaque(dirPath);
    }
}
