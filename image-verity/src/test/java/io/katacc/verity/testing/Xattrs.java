package io.katacc.verity.testing;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeMap;

/** Reads xattrs of a path without following symlinks (JNA; the attr tools are not installed). */
public final class Xattrs {
    interface LibC extends Library {
        long llistxattr(String path, byte[] list, long size) throws LastErrorException;

        long lgetxattr(String path, String name, byte[] value, long size) throws LastErrorException;

        int lsetxattr(String path, String name, byte[] value, long size, int flags) throws LastErrorException;
    }

    private static final LibC C = Native.load("c", LibC.class);

    private Xattrs() {
    }

    public static byte[] get(String path, String name) {
        byte[] v = new byte[65536];
        long len = C.lgetxattr(path, name, v, v.length);
        return Arrays.copyOf(v, (int) len);
    }

    public static void set(String path, String name, byte[] value) {
        C.lsetxattr(path, name, value, value.length, 0);
    }

    public static TreeMap<String, String> read(String path) {
        TreeMap<String, String> out = new TreeMap<>();
        byte[] list = new byte[65536];
        long n = C.llistxattr(path, list, list.length);
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (list[i] == 0) {
                String name = new String(list, start, i - start, StandardCharsets.UTF_8);
                byte[] v = new byte[65536];
                long len = C.lgetxattr(path, name, v, v.length);
                out.put(name, new String(Arrays.copyOf(v, (int) len), StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }
}
