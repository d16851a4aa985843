package io.katacc.agent.policy;

/** The S_IFMT part of a POSIX mode, named the way Kata's policy input names it. */
final class FileModes {
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFLNK = 0120000;

    private FileModes() {
    }

    static String fileType(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFREG -> "Regular";
            case S_IFDIR -> "Directory";
            case S_IFLNK -> "Symlink";
            default -> "Unknown";
        };
    }
}
