package io.katacc.shim.task;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A container in the sandbox: its bundle, init process and execs. */
final class ContainerState {
    final String id;
    final String bundle;
    final ProcessState init;
    final Map<String, ProcessState> execs = new ConcurrentHashMap<>();

    ContainerState(String id, String bundle, ProcessState init) {
        this.id = id;
        this.bundle = bundle;
        this.init = init;
    }
}
