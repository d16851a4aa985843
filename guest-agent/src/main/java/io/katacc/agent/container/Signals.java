package io.katacc.agent.container;

import io.katacc.agent.error.AgentException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/** kill(2) for processes that are not our children (exec'd processes live under runc's parent). */
final class Signals {

    private interface LibC extends Library {
        int kill(int pid, int sig);
    }

    private static final LibC C = Native.load("c", LibC.class);

    private Signals() {
    }

    static void kill(int pid, int signal) {
        if (C.kill(pid, signal) != 0) {
            int errno = Native.getLastError();
            throw new AgentException(errno == 3 ? AgentException.Kind.NOT_FOUND : AgentException.Kind.INTERNAL,
                    "kill(" + pid + ", " + signal + ") failed: errno " + errno);
        }
    }
}
