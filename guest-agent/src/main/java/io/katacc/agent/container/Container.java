package io.katacc.agent.container;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A container the agent created: its bundle, its init process (from CreateContainer on), its exec'd processes. */
final class Container {

    enum State { CREATED, RUNNING, PAUSED, STOPPED }

    final String id;
    final String initExecId;
    final Path bundle;
    /** The spec's process: the init runs it (its Terminal and ConsoleSize decide the stdio). */
    final io.katacc.agent.api.Process initProcess;
    final Map<String, ContainerProcess> execs = new ConcurrentHashMap<>();
    /** Exec ids whose runc is still running, so that a concurrent duplicate is refused. */
    final Set<String> launching = ConcurrentHashMap.newKeySet();
    volatile ContainerProcess init;
    volatile State state = State.CREATED;

    Container(String id, String initExecId, Path bundle, io.katacc.agent.api.Process initProcess) {
        this.id = id;
        this.initExecId = initExecId;
        this.bundle = bundle;
        this.initProcess = initProcess;
    }

    State state() {
        if (state != State.STOPPED && init != null && init.exited()) {
            state = State.STOPPED;
        }
        return state;
    }
}
