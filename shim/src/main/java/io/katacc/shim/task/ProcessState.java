package io.katacc.shim.task;

import io.katacc.shim.api.types.task.Status;
import io.katacc.shim.stdio.StdioPumps;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** One container init process or exec'd process, as the shim tracks it. */
final class ProcessState {
    record Exit(int status, Instant at) {
    }

    final String containerId;
    final String execId;
    final String stdin;
    final String stdout;
    final String stderr;
    final boolean terminal;
    final CompletableFuture<Exit> exit = new CompletableFuture<>();
    volatile Status status = Status.CREATED;
    volatile StdioPumps pumps;
    /** For execs: the agent's Process, kept until Start. */
    volatile io.katacc.agent.api.Process execSpec;

    ProcessState(String containerId, String execId, String stdin, String stdout, String stderr, boolean terminal) {
        this.containerId = containerId;
        this.execId = execId;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.terminal = terminal;
    }
}
