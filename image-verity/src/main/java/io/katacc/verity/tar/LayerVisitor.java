package io.katacc.verity.tar;

import java.io.IOException;
import java.io.InputStream;

/** Receives layer entries in tar order. */
public interface LayerVisitor {
    /** {@code content} holds exactly entry.size() bytes for FILE entries and is empty otherwise. */
    void entry(LayerEntry entry, InputStream content) throws IOException;

    /** An OCI opaque marker ({@code .wh..wh..opq}) for directory {@code dirPath} ("" = layer root). */
    void opaque(String dirPath) throws IOException;
}
