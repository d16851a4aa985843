package io.katacc.verity.tar;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Normalizes tar member names and rejects the unsafe ones. */
public final class LayerPaths {
    public static final int MAX_PATH_BYTES = 4095;
    public static final int MAX_NAME_BYTES = 255;

    private LayerPaths() {
    }

    /** Returns the relative path ("" for the root) or throws saying what is wrong with {@code raw}. */
    public static String normalize(String raw) throws LayerFormatException {
        if (raw.isEmpty()) {
            throw new LayerFormatException("empty entry name");
        }
        if (raw.startsWith("/")) {
            throw new LayerFormatException("absolute path not allowed in a layer: " + shorten(raw));
        }
        if (raw.indexOf('\0') >= 0) {
            throw new LayerFormatException("NUL byte in entry name: " + shorten(raw));
        }
        if (raw.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new LayerFormatException("entry name longer than " + MAX_PATH_BYTES + " bytes: " + shorten(raw));
        }
        List<String> parts = new ArrayList<>();
        for (String p : raw.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                throw new LayerFormatException("path traversal (\"..\") not allowed in a layer: " + shorten(raw));
            }
            if (p.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new LayerFormatException("path component longer than " + MAX_NAME_BYTES + " bytes in "
                        + shorten(raw));
            }
            parts.add(p);
        }
        return String.join("/", parts);
    }

    static String shorten(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "...(" + s.length() + " chars)" : s;
    }
}
