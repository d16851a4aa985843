package io.katacc.agent.container;

import com.sun.jna.Native;
import io.katacc.agent.error.AgentException;

/** kill(2) by pid: container processes are reparented to the agent, not children of a Java Process. */
final class Signals {

    private Signals() {
    }

    static void kill(int pid, int signal) {
        if (Libc.C.kill(pid, signal) != 0) {
            int errno = Native.getLastError();
            throw new AgentException(errno == 3 ? AgentException.Kind.NOT_FOUND : AgentException.Kind.INTERNAL,
                    "kill(" + pid + ", " + signal + ") failed: errno " + errno);
        }
    }
}
