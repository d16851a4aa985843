package io.katacc.verity.tar;

import java.io.IOException;
import java.io.InputStream;

/**
 * Delivers exactly {@code size} bytes of an entry's content or fails, naming the entry: a short source is
 * a broken layer, never a silently shorter file in the image.
 */
public final class ExactLengthStream extends InputStream {
    /** The error for a source that ended {@code missing} bytes early, or that failed with {@code cause}. */
    public interface Failure {
        LayerFormatException of(long missing, IOException cause);
    }

    private final InputStream in;
    private final Failure failure;
    private long left;

    public ExactLengthStream(InputStream in, long size, Failure failure) {
        this.in = in;
        this.left = size;
        this.failure = failure;
    }

    @Override
    public int read() throws IOException {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (left == 0) {
            return -1;
        }
        int n;
        try {
            n = in.read(b, off, (int) Math.min(len, left));
        } catch (IOException ex) {
            throw failure.of(left, ex);
        }
        if (n < 0) {
            throw failure.of(left, null);
        }
        left -= n;
        return n;
    }
}
