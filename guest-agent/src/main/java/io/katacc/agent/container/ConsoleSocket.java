package io.katacc.agent.container;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.katacc.agent.error.AgentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * runc's {@code --console-socket}: a unix socket on which runc sends the master of the pty it made for a
 * terminal process (SCM_RIGHTS, the payload is the pty's name). The socket lives in a root-only directory of
 * the agent, never in the network-visible abstract namespace, and takes exactly one connection.
 */
final class ConsoleSocket implements AutoCloseable {

    private static final int SUN_PATH_MAX = 108;

    private final Path path;
    private final int fd;

    private ConsoleSocket(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    static ConsoleSocket listen(Path path) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_MAX) {
            throw new AgentException(AgentException.Kind.INTERNAL,
                    "console socket path " + path + " is longer than a unix socket path may be");
        }
        try {
            Files.createDirectories(path.getParent());
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "console socket " + path + ": " + e.getMessage(), e);
        }
        int fd = Libc.C.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw errno("socket");
        }
        Memory addr = new Memory(2 + SUN_PATH_MAX);
        addr.clear();
        addr.setShort(0, (short) Libc.AF_UNIX);
        addr.write(2, name, 0, name.length);
        if (Libc.C.bind(fd, addr, 2 + name.length + 1) != 0 || Libc.C.listen(fd, 1) != 0) {
            AgentException e = errno("bind/listen " + path);
            Libc.C.close(fd);
            throw e;
        }
        return new ConsoleSocket(path, fd);
    }

    Path path() {
        return path;
    }

    /**
     * The pty master runc sent, waiting up to {@code timeoutMillis} for it. runc has sent it before it exits,
     * and a queued connection keeps its data after the peer is gone, so callers may ask after runc is done.
     */
    int receiveMaster(long timeoutMillis) {
        int[] pollfd = {fd, Libc.POLLIN};
        int ready = Libc.C.poll(pollfd, 1, (int) Math.min(timeoutMillis, Integer.MAX_VALUE));
        if (ready <= 0) {
            throw new AgentException(AgentException.Kind.INTERNAL, "runc did not send the terminal on " + path);
        }
        int conn = Libc.C.accept4(fd, Pointer.NULL, Pointer.NULL, Libc.SOCK_CLOEXEC);
        if (conn < 0) {
            throw errno("accept on " + path);
        }
        try {
            return receiveFd(conn);
        } finally {
            Libc.C.close(conn);
        }
    }

    // struct msghdr (x86_64/aarch64 LP64): name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48
    private static int receiveFd(int conn) {
        Memory data = new Memory(4096);
        Memory iov = new Memory(16);
        iov.setPointer(0, data);
        iov.setLong(8, data.size());
        Memory control = new Memory(64); // one cmsghdr (16 bytes) with room for a few ints
        control.clear();
        Memory msg = new Memory(56);
        msg.clear();
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        msg.setPointer(32, control);
        msg.setLong(40, control.size());
        long n;
        do {
            n = Libc.C.recvmsg(conn, msg, Libc.MSG_CMSG_CLOEXEC);
        } while (n < 0 && Native.getLastError() == Libc.EINTR);
        if (n < 0) {
            throw errno("recvmsg of the console");
        }
        long controlLen = msg.getLong(40);
        if (controlLen < 20 || control.getInt(8) != Libc.SOL_SOCKET || control.getInt(12) != Libc.SCM_RIGHTS) {
            throw new AgentException(AgentException.Kind.INTERNAL, "runc's console message carried no descriptor");
        }
        int fds = (int) ((control.getLong(0) - 16) / 4);
        int master = control.getInt(16);
        for (int i = 1; i < fds; i++) {
            Libc.C.close(control.getInt(16 + 4L * i)); // only one is expected; never leak extras
        }
        return master;
    }

    private static AgentException errno(String what) {
        return new AgentException(AgentException.Kind.INTERNAL, what + " failed: errno " + Native.getLastError());
    }

    @Override
    public void close() {
        Libc.C.close(fd);
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the directory goes with the bundle
        }
    }
}
