package io.katacc.agent.container;

import com.sun.jna.Native;
import io.katacc.agent.error.AgentException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exit statuses of container processes. runc runs detached (create, exec --detach) and exits at once, so the
 * container's processes are orphaned; as a child subreaper the agent inherits them and waits for each pid it
 * was given, as containerd's runc shim does. Only known pids are waited for: a waitpid(-1) would take the
 * statuses of the JDK's own Process children (runc, ip) from under it.
 */
final class Reaper {

    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);

    private Reaper() {
    }

    /** Marks this process a child subreaper (process-wide and idempotent). */
    static void becomeSubreaper() {
        if (Libc.C.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            throw new AgentException(AgentException.Kind.INTERNAL,
                    "prctl(PR_SET_CHILD_SUBREAPER) failed: errno " + Native.getLastError());
        }
    }

    /**
     * Completes with the exit code, or 128+signal when killed, once {@code pid} (our child by now) exits. A
     * platform thread blocks in waitpid: a JNA call would pin a virtual thread's carrier for the process' life.
     */
    static CompletableFuture<Integer> watch(int pid, String name) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("reap-" + name + "-" + pid).start(() -> {
            int[] status = new int[1];
            while (true) {
                int r = Libc.C.waitpid(pid, status, 0);
                if (r == pid) {
                    exit.complete(decode(status[0]));
                    return;
                }
                int errno = Native.getLastError();
                if (r < 0 && errno == Libc.EINTR) {
                    continue;
                }
                // ECHILD: not reparented to us (subreaper unset?); the status is lost, say so rather than guess
                LOG.error("waitpid({}) for {} failed: errno {}", pid, name, errno);
                exit.completeExceptionally(new AgentException(AgentException.Kind.INTERNAL,
                        "cannot wait for process " + name + " (pid " + pid + "): errno " + errno));
                return;
            }
        });
        return exit;
    }

    /** A wait status as a shell reports it. */
    static int decode(int status) {
        int sig = status & 0x7f;
        return sig == 0 ? (status >> 8) & 0xff : 128 + sig;
    }
}
