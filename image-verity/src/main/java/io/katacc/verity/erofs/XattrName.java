package io.katacc.verity.erofs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** An xattr name split into EROFS's prefix index and the stored suffix. */
record XattrName(int index, byte[] suffix) implements Comparable<XattrName> {
    private static final String[] PREFIXES = {null, "user.", "system.posix_acl_access", "system.posix_acl_default",
            "trusted.", null, "security."};

    static XattrName of(String name) {
        for (int i = 1; i < PREFIXES.length; i++) {
            String p = PREFIXES[i];
            if (p == null) {
                continue;
            }
            boolean exact = i == 2 || i == 3;
            if (exact ? name.equals(p) : name.startsWith(p) && name.length() > p.length()) {
                return new XattrName(i, name.substring(p.length()).getBytes(StandardCharsets.UTF_8));
            }
        }
        throw new IllegalArgumentException("unsupported xattr namespace: " + name
                + " (EROFS stores user., trusted., security. and POSIX ACLs)");
    }

    @Override
    public int compareTo(XattrName o) {
        int c = Integer.compare(index, o.index);
        return c != 0 ? c : Arrays.compareUnsigned(suffix, o.suffix);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XattrName x && x.index == index && Arrays.equals(x.suffix, suffix);
    }

    @Override
    public int hashCode() {
        return index * 31 + Arrays.hashCode(suffix);
    }
}
