package io.katacc.agent.container;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/** The libc calls the container layer needs and the JDK lacks (process reaping, ptys, fd passing). JNA. */
interface Libc extends Library {

    int EINTR = 4;
    int EIO = 5;
    int EAGAIN = 11;
    int O_RDWR = 2;
    int O_NOCTTY = 0400;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;
    int F_GETFL = 3;
    int F_SETFL = 4;
    int AF_UNIX = 1;
    int SOCK_STREAM = 1;
    int SOCK_CLOEXEC = 02000000;
    int SOL_SOCKET = 1;
    int SCM_RIGHTS = 1;
    int MSG_CMSG_CLOEXEC = 0x40000000;
    int PR_SET_CHILD_SUBREAPER = 36;
    short POLLIN = 1;
    long TIOCSWINSZ = 0x5414;
    long FIONREAD = 0x541B;
    long TIOCGPTPEER = 0x5441;

    Libc C = Native.load(Platform.C_LIBRARY_NAME, Libc.class);

    int ESRCH = 3;
    long SYS_PIDFD_SEND_SIGNAL = 424; // the generic syscall table: same number on x86_64 and aarch64
    long SYS_PIDFD_OPEN = 434;

    int kill(int pid, int sig);

    long syscall(long number, int a, int b);

    long syscall(long number, int a, int b, Pointer info, int flags);

    int waitpid(int pid, int[] status, int options);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    int pipe2(int[] fds, int flags);

    int socket(int domain, int type, int protocol);

    int bind(int fd, Pointer addr, int len);

    int listen(int fd, int backlog);

    int accept4(int fd, Pointer addr, Pointer len, int flags);

    long recvmsg(int fd, Pointer msghdr, int flags);

    /** {@code fds} holds struct pollfd: per entry one int fd, then events (low half) and revents (high half). */
    int poll(int[] fds, long nfds, int timeoutMillis);

    int ioctl(int fd, long request, int[] value);

    int ioctl(int fd, long request, short[] winsize);

    int ioctl(int fd, long request, long arg);

    int fcntl(int fd, int cmd, int arg);

    long read(int fd, byte[] buf, long count);

    long write(int fd, byte[] buf, long count);

    int close(int fd);
}
