package io.katacc.verity.erofs;

/** Summary of a written EROFS image: it occupies bytes [0, blocks * 4096) of the output. */
public record ErofsImage(long blocks, long inodes, long buildTime) {
    public long bytes() {
        return blocks * ErofsLayout.BLOCK_SIZE;
    }
}
