package io.katacc.verity.tar;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One normalized layer entry: {@code path} is relative, '/'-separated, without "." or ".." components.
 * {@code mode} holds permission bits including setuid/setgid/sticky (no file type bits).
 * {@code linkTarget} is the symlink target, or for HARDLINK the normalized path of the linked entry.
 */
public record LayerEntry(String path, EntryKind kind, int mode, long uid, long gid, long mtimeSeconds, int mtimeNanos,
                         long size, String linkTarget, int devMajor, int devMinor,
                         SortedMap<String, byte[]> xattrs) {
    public LayerEntry {
        xattrs = Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
    }
}
