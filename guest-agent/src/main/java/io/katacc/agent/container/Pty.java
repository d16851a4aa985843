package io.katacc.agent.container;

import com.sun.jna.Native;
import io.katacc.agent.error.AgentException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The master of the pty runc made for a terminal process (received on its console socket). The agent reads
 * and writes it and sizes it; the kernel then signals the terminal's foreground process group (SIGWINCH).
 * One platform thread reads the master into a small queue: a blocking JNA read would pin the carrier of the
 * virtual thread serving ReadStdout, and a full queue stops the reader, which holds the process back as a
 * full pipe would.
 */
final class Pty {

    private static final int CHUNK = 64 * 1024;
    private static final byte[] EOF = new byte[0];

    private final int fd;
    private final BlockingQueue<byte[]> output = new ArrayBlockingQueue<>(4);
    private volatile boolean closed;
    private boolean fdClosed; // guarded by this: the reader closes the master once it is done with it
    private byte[] pending; // guarded by the caller's read lock: rest of a chunk longer than the read asked
    private boolean ended; // guarded by the caller's read lock
    // our own slave descriptor: while any slave is open the master reads data, not EIO; Linux may drop
    // output still buffered when the last slave closes, so the child's exit must not be that moment
    private volatile int heldSlave = -1;

    /** Takes ownership of {@code master}; holds a slave of its own until {@link #releaseSlaveWhenDrained()}. */
    static Pty ofMaster(int master, String name) {
        int flags = Libc.C.fcntl(master, Libc.F_GETFL, 0);
        if (flags >= 0 && (flags & Libc.O_NONBLOCK) != 0) {
            Libc.C.fcntl(master, Libc.F_SETFL, flags & ~Libc.O_NONBLOCK); // the reader blocks, not spins
        }
        Pty pty = new Pty(master);
        // the slave lives in the container's devpts: TIOCGPTPEER opens it through the master, no path needed
        int slave = Libc.C.ioctl(master, Libc.TIOCGPTPEER, (long) (Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC));
        if (slave < 0) {
            int errno = Native.getLastError();
            Libc.C.close(master);
            throw new AgentException(AgentException.Kind.INTERNAL, "TIOCGPTPEER on the terminal failed: errno " + errno);
        }
        pty.heldSlave = slave;
        Thread.ofPlatform().daemon().name("pty-" + name).start(pty::readLoop);
        return pty;
    }

    private Pty(int fd) {
        this.fd = fd;
    }

    private void readLoop() {
        byte[] buf = new byte[CHUNK];
        try {
            while (!closed) {
                long n = Libc.C.read(fd, buf, buf.length);
                if (n > 0) {
                    byte[] chunk = Arrays.copyOf(buf, (int) n);
                    while (!closed && !output.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
                        // nobody reads: hold the process back, as a full pipe does
                    }
                    continue;
                }
                int errno = n == 0 ? 0 : Native.getLastError();
                if (errno != Libc.EINTR && errno != Libc.EAGAIN) {
                    break; // EIO: every slave is closed, the terminal has ended
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                fdClosed = true;
                Libc.C.close(fd);
            }
            while (!output.offer(EOF)) {
                output.poll(); // closed with nobody reading: make room for the end marker
            }
        }
    }

    /**
     * The child is gone: once the reader has taken what the master holds (checked twice, as the line
     * discipline hands data on asynchronously), close our slave, so the next read sees the end.
     */
    void releaseSlaveWhenDrained() {
        int quiet = 0;
        for (int i = 0; i < 500 && quiet < 2 && !closed; i++) {
            int[] queued = {0};
            boolean empty;
            synchronized (this) {
                empty = fdClosed || Libc.C.ioctl(fd, Libc.FIONREAD, queued) != 0 || queued[0] == 0;
            }
            quiet = empty ? quiet + 1 : 0;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeHeldSlave();
    }

    private void closeHeldSlave() {
        int s = heldSlave;
        heldSlave = -1;
        if (s >= 0) {
            Libc.C.close(s);
        }
    }

    /** Up to {@code max} bytes; blocks for output; empty at EOF. Callers serialize reads. */
    byte[] read(int max) {
        if (ended) {
            return EOF;
        }
        byte[] chunk = pending;
        pending = null;
        if (chunk == null) {
            try {
                chunk = output.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return EOF;
            }
        }
        if (chunk.length == 0) {
            ended = true;
            return EOF;
        }
        if (chunk.length > max) {
            pending = Arrays.copyOfRange(chunk, max, chunk.length);
            return Arrays.copyOf(chunk, max);
        }
        return chunk;
    }

    synchronized int write(byte[] data) {
        int off = 0;
        while (off < data.length) {
            if (fdClosed) {
                throw new AgentException(AgentException.Kind.INTERNAL, "write to terminal failed: the process has exited");
            }
            byte[] chunk = off == 0 ? data : Arrays.copyOfRange(data, off, data.length);
            long n = Libc.C.write(fd, chunk, chunk.length);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == Libc.EINTR || errno == Libc.EAGAIN) {
                    continue;
                }
                throw new AgentException(AgentException.Kind.INTERNAL, "write to terminal failed: errno " + errno
                        + (errno == Libc.EIO ? " (the process has exited)" : ""));
            }
            off += (int) n;
        }
        return data.length;
    }

    /** Sizes the terminal; the kernel sends SIGWINCH to its foreground process group. */
    synchronized void resize(int rows, int cols) {
        if (rows < 0 || rows > 0xffff || cols < 0 || cols > 0xffff) {
            throw AgentException.invalid("terminal size " + rows + "x" + cols + " is out of range");
        }
        if (fdClosed) {
            return; // the terminal has ended: nobody left to resize for
        }
        short[] ws = {(short) rows, (short) cols, 0, 0};
        if (Libc.C.ioctl(fd, Libc.TIOCSWINSZ, ws) != 0) {
            throw new AgentException(AgentException.Kind.INTERNAL, "TIOCSWINSZ failed: errno " + Native.getLastError());
        }
    }

    /** Stops reading; the master is closed by the reader once the terminal ends (never under a blocked read). */
    void close() {
        closed = true;
        closeHeldSlave();
    }
}
