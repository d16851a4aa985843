package io.katacc.agent.container;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.katacc.agent.error.AgentException;

/**
 * A pseudo-terminal the agent opens for a terminal process: foreground runc gets the slave as its stdio,
 * puts it in raw mode and relays it to the container's own terminal; the agent reads and writes the master.
 * runc accepts a console socket only when it detaches, and a detached runc leaves the exit status to whoever
 * reaps the orphan, so the agent keeps runc in the foreground and steers it through this pair: a new window
 * size on the master plus SIGWINCH to runc makes runc copy the size to the container's terminal.
 * JNA, as the JDK has no pty API.
 */
final class Pty {
    private static final int EINTR = 4;
    private static final int EIO = 5;
    private static final int EAGAIN = 11;
    private static final long TIOCSWINSZ = 0x5414;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 04000;

    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0400;

    interface LibC extends Library {
        int posix_openpt(int flags);

        int grantpt(int fd);

        int unlockpt(int fd);

        int ptsname_r(int fd, byte[] buf, long len);

        int open(String path, int flags);

        int ioctl(int fd, long request, int[] value);

        int tcgetattr(int fd, int[] termios);

        long read(int fd, byte[] buf, long count);

        long write(int fd, byte[] buf, long count);

        int ioctl(int fd, long request, short[] winsize);

        int fcntl(int fd, int cmd, int arg);

        int close(int fd);
    }

    private static final class Holder {
        static final LibC LIBC = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    }

    private static final long FIONREAD = 0x541B;

    private final int fd;
    private final String slave;
    private volatile boolean closed;
    // our own slave descriptor: while any slave is open the master reads data, not EIO; Linux may drop
    // output still buffered when the last slave closes, so the child's exit must not be that moment
    private volatile int heldSlave = -1;

    /** A new master; {@link #slavePath()} names its slave for the child's stdio. */
    static Pty open() {
        LibC c = Holder.LIBC;
        int fd = c.posix_openpt(O_RDWR | O_NOCTTY);
        if (fd < 0) {
            throw new AgentException(AgentException.Kind.INTERNAL, "posix_openpt failed: errno " + Native.getLastError());
        }
        byte[] name = new byte[128];
        if (c.grantpt(fd) != 0 || c.unlockpt(fd) != 0 || c.ptsname_r(fd, name, name.length) != 0) {
            int errno = Native.getLastError();
            c.close(fd);
            throw new AgentException(AgentException.Kind.INTERNAL, "setting up a pseudo-terminal failed: errno " + errno);
        }
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        return new Pty(fd, new String(name, 0, len, java.nio.charset.StandardCharsets.US_ASCII));
    }

    private Pty(int fd, String slave) {
        this.fd = fd;
        this.slave = slave;
        // reads park a platform thread; a non-blocking descriptor would spin on EAGAIN
        int flags = Holder.LIBC.fcntl(fd, F_GETFL, 0);
        if (flags >= 0 && (flags & O_NONBLOCK) != 0) {
            Holder.LIBC.fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        }
    }

    java.io.File slavePath() {
        return new java.io.File(slave);
    }

    /** Opens and keeps a slave descriptor until {@link #releaseSlaveWhenDrained()}. */
    void holdSlave() {
        int s = Holder.LIBC.open(slave, O_RDWR | O_NOCTTY);
        if (s < 0) {
            throw new AgentException(AgentException.Kind.INTERNAL, "open " + slave + " failed: errno " + Native.getLastError());
        }
        heldSlave = s;
    }

    /**
     * True once the child made the terminal raw (runc does so when its relay to the container's terminal is
     * up); until then our writes would be echoed and line-edited by this side's line discipline.
     */
    boolean isRaw() {
        int s = heldSlave;
        int[] termios = new int[16]; // c_iflag, c_oflag, c_cflag, c_lflag, then c_line/c_cc/speeds
        if (s < 0 || Holder.LIBC.tcgetattr(s, termios) != 0) {
            return false;
        }
        final int icanon = 02;
        final int echo = 010;
        return (termios[3] & (icanon | echo)) == 0;
    }

    /**
     * The child is gone: once the reader has taken what the master holds (checked twice, as the line
     * discipline hands data on asynchronously), close our slave, so the next read sees the end.
     */
    void releaseSlaveWhenDrained() {
        int quiet = 0;
        for (int i = 0; i < 500 && quiet < 2 && !closed; i++) {
            int[] pending = {0};
            boolean empty = Holder.LIBC.ioctl(fd, FIONREAD, pending) != 0 || pending[0] == 0;
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
            Holder.LIBC.close(s);
        }
    }

    /** Blocks for output; empty at EOF (the kernel answers EIO once the container side is gone). */
    byte[] read(int max) {
        byte[] buf = new byte[max];
        while (true) {
            if (closed) {
                return new byte[0];
            }
            long n = Holder.LIBC.read(fd, buf, max);
            if (n > 0) {
                return java.util.Arrays.copyOf(buf, (int) n);
            }
            int errno = n == 0 ? 0 : Native.getLastError();
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            return new byte[0];
        }
    }

    int write(byte[] data) {
        int off = 0;
        while (off < data.length) {
            byte[] chunk = off == 0 ? data : java.util.Arrays.copyOfRange(data, off, data.length);
            long n = Holder.LIBC.write(fd, chunk, chunk.length);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == EINTR || errno == EAGAIN) {
                    continue;
                }
                throw new AgentException(AgentException.Kind.INTERNAL, "write to terminal failed: errno " + errno
                        + (errno == EIO ? " (the process has exited)" : ""));
            }
            off += (int) n;
        }
        return data.length;
    }

    private static final long TIOCGWINSZ = 0x5413;

    /** rows, cols of the terminal at {@code path} (e.g. /proc/PID/fd/0), or null if it is none. */
    static int[] windowSizeOf(String path) {
        int f = Holder.LIBC.open(path, O_RDWR | O_NOCTTY);
        if (f < 0) {
            return null;
        }
        try {
            short[] ws = new short[4];
            return Holder.LIBC.ioctl(f, TIOCGWINSZ, ws) == 0 ? new int[] {ws[0] & 0xffff, ws[1] & 0xffff} : null;
        } finally {
            Holder.LIBC.close(f);
        }
    }

    void resize(int rows, int cols) {
        if (rows < 0 || rows > 0xffff || cols < 0 || cols > 0xffff) {
            throw AgentException.invalid("terminal size " + rows + "x" + cols + " is out of range");
        }
        short[] ws = {(short) rows, (short) cols, 0, 0};
        if (Holder.LIBC.ioctl(fd, TIOCSWINSZ, ws) != 0) {
            throw new AgentException(AgentException.Kind.INTERNAL, "TIOCSWINSZ failed: errno " + Native.getLastError());
        }
    }

    void close() {
        if (!closed) {
            closed = true;
            closeHeldSlave();
            Holder.LIBC.close(fd);
        }
    }
}
