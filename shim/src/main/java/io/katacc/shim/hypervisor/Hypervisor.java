package io.katacc.shim.hypervisor;

import java.io.IOException;

/** One sandbox VM, from boot to teardown. Implementations: Cloud Hypervisor and QEMU. */
public interface Hypervisor extends AutoCloseable {
    /** Starts the VMM process and boots the guest; returns once the VM runs. */
    void start(VmSpec spec) throws IOException, InterruptedException;

    AgentEndpoint agentEndpoint();

    /** Where the agent's log lines can be read, if this VM has such a channel. */
    default java.util.Optional<AgentEndpoint> logEndpoint() {
        return java.util.Optional.empty();
    }

    /** Hot-plugs a disk; returns where the guest finds it, for {@code Storage.source} of a "blk" storage. */
    PciPath addDisk(BlockDevice disk) throws IOException;

    void removeDisk(String id) throws IOException;

    /** The VMM process, for supervision (its exit means the sandbox died). */
    ProcessHandle process();

    /** Stops the guest and the VMM; never throws for an already-dead VM. */
    @Override
    void close();
}
