package io.katacc.verity.snapshot;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Extended attributes of a path, symlinks not followed. Java's UserDefinedFileAttributeView sees only
 * {@code user.*}; a snapshot also holds {@code trusted.overlay.opaque} and {@code security.capability}.
 */
final class Xattrs {
    private static final int ENODATA = 61;
    private static final int ENOTSUP = 95;
    private static final int ERANGE = 34;

    interface LibC extends Library {
        long llistxattr(String path, byte[] list, long size);

        long lgetxattr(String path, String name, byte[] value, long size);
    }

    private static final class Holder {
        static final LibC LIBC = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    }

    private Xattrs() {
    }

    /** All attributes of {@code p}; empty where the filesystem has none or does not support them. */
    static SortedMap<String, byte[]> read(Path p) throws IOException {
        SortedMap<String, byte[]> out = new TreeMap<>();
        String path = p.toString();
        byte[] names = sized(() -> Holder.LIBC.llistxattr(path, null, 0),
                buf -> Holder.LIBC.llistxattr(path, buf, buf.length), path, "llistxattr");
        int start = 0;
        for (int i = 0; i < names.length; i++) {
            if (names[i] == 0) {
                if (i > start) {
                    String name = new String(names, start, i - start, StandardCharsets.UTF_8);
                    byte[] value = sized(() -> Holder.LIBC.lgetxattr(path, name, null, 0),
                            buf -> Holder.LIBC.lgetxattr(path, name, buf, buf.length), path, "lgetxattr " + name);
                    if (value != null) {
                        out.put(name, value);
                    }
                }
                start = i + 1;
            }
        }
        return out;
    }

    private interface Call {
        long invoke(byte[] buf);
    }

    private interface SizeCall {
        long invoke();
    }

    /** The size-then-fetch idiom, retried when the attribute grows in between (ERANGE). */
    private static byte[] sized(SizeCall size, Call fetch, String path, String what) throws IOException {
        for (int attempt = 0; attempt < 4; attempt++) {
            long n = size.invoke();
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == ENOTSUP || errno == ENODATA) {
                    return errno == ENODATA ? null : new byte[0];
                }
                throw new IOException(what + " " + path + ": errno " + errno);
            }
            if (n == 0) {
                return new byte[0];
            }
            byte[] buf = new byte[(int) n];
            long got = fetch.invoke(buf);
            if (got >= 0) {
                return Arrays.copyOf(buf, (int) got);
            }
            int errno = Native.getLastError();
            if (errno == ENODATA) {
                return null;
            }
            if (errno != ERANGE) {
                throw new IOException(what + " " + path + ": errno " + errno);
            }
        }
        throw new IOException(what + " " + path + ": attribute keeps changing size");
    }
}
