package io.katacc.ttrpc.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens a character device (a virtio-serial port) once, read-write. A virtio-serial port admits a single
 * opener: separate read and write opens fail with EBUSY on the second one, so both streams share one fd.
 * Reads never report EOF (see below): the stream ends when it is closed.
 */
final class SerialPort {
    private static final long EOF_POLL_MILLIS = 20;

    private SerialPort() {
    }

    static ByteStreamAddress.Streams open(Path path) throws IOException {
        // RandomAccessFile "rw" would create a regular file in place of a port that has not appeared yet.
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "serial port does not exist");
        }
        // RandomAccessFile reads and writes without a shared lock (unlike FileChannel), so a read blocked
        // on the port does not hold up writes.
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
        InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                // A virtio-serial port reads EOF while no host end is connected. Closing and reopening it
                // would discard what the host sends meanwhile, so keep the fd and poll until data comes;
                // the port ends only when it is closed (then read throws).
                while (true) {
                    int n = file.read(b, off, len);
                    if (n > 0 || len == 0) {
                        return n;
                    }
                    try {
                        Thread.sleep(EOF_POLL_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted waiting for a peer on " + path);
                    }
                }
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                file.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                file.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
        return new ByteStreamAddress.Streams(in, out);
    }
}
