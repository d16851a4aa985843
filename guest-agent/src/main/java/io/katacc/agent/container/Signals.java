package io.katacc.agent.container;

import com.sun.jna.Native;
import io.katacc.agent.error.AgentException;

/**
 * Signals by pid or, where the kernel has them (5.3+), by pidfd: a pidfd keeps naming the process it was
 * opened for, so a signal sent just after the process was reaped cannot reach a new one that got its pid.
 */
final class Signals {

    private Signals() {
    }

    /** A pidfd for {@code pid}, or -1 when the kernel has none (the caller then signals by pid). */
    static int pidfdOpen(int pid) {
        long fd = Libc.C.syscall(Libc.SYS_PIDFD_OPEN, pid, 0);
        return fd < 0 ? -1 : (int) fd;
    }

    /** Through {@code pidfd} when there is one (>= 0), else by pid; a gone process is NOT_FOUND. */
    static void send(int pidfd, int pid, int signal) {
        boolean viaPidfd = pidfd >= 0;
        long r = viaPidfd ? Libc.C.syscall(Libc.SYS_PIDFD_SEND_SIGNAL, pidfd, signal, com.sun.jna.Pointer.NULL, 0)
                : Libc.C.kill(pid, signal);
        if (r != 0) {
            int errno = Native.getLastError();
            throw new AgentException(errno == Libc.ESRCH ? AgentException.Kind.NOT_FOUND : AgentException.Kind.INTERNAL,
                    (viaPidfd ? "pidfd_send_signal(" : "kill(") + pid + ", " + signal + ") failed: errno " + errno);
        }
    }
}
