package io.katacc.shim.sandbox;

import io.katacc.shim.agent.AgentClient;

import java.util.Map;

/** The pod's VM as the Task service sees it: an agent to talk to, and a way to take it down. */
public interface Sandbox extends AutoCloseable {
    AgentClient agent();

    /** The pod's image layers: built, attached to the VM, described to the agent. */
    io.katacc.shim.rootfs.PodLayers layers();

    /** The host process standing for the sandbox (the VMM); containerd gets it as the task pid. */
    long pid();

    /** Close the sandbox (DestroySandbox, stop the VM, remove state). */
    @Override
    void close();

    /** Boots a sandbox for the pod whose sandbox container has these annotations. */
    @FunctionalInterface
    interface Factory {
        Sandbox create(String sandboxId, Map<String, String> annotations) throws Exception;
    }
}
