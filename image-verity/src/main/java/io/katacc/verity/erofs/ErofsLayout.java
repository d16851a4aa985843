package io.katacc.verity.erofs;

/** On-disk constants of EROFS (Linux fs/erofs/erofs_fs.h), uncompressed subset. */
final class ErofsLayout {
    static final int BLOCK_SIZE = 4096;
    static final int BLOCK_BITS = 12;
    static final int SUPERBLOCK_OFFSET = 1024;
    static final int MAGIC = 0xE0F5E1E2;
    static final int COMPACT_INODE = 32;
    static final int EXTENDED_INODE = 64;
    static final int SLOT = 32;
    static final int DIRENT = 12;
    static final int XATTR_IBODY_HEADER = 12;
    static final int XATTR_ENTRY_HEADER = 4;

    static final int LAYOUT_FLAT_PLAIN = 0;
    static final int LAYOUT_FLAT_INLINE = 2;

    static final int FT_REG = 1;
    static final int FT_DIR = 2;
    static final int FT_CHR = 3;
    static final int FT_BLK = 4;
    static final int FT_FIFO = 5;
    static final int FT_SYMLINK = 7;

    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFDIR = 0040000;
    static final int S_IFBLK = 0060000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;

    private ErofsLayout() {
    }

    static int align(int v, int a) {
        return (v + a - 1) / a * a;
    }
}
