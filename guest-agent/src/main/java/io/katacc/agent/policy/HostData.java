package io.katacc.agent.policy;

import java.util.Optional;

/** HOST_DATA of this VM's TEE report; empty when the agent does not run in a TEE. */
@FunctionalInterface
public interface HostData {
    Optional<byte[]> read();

    HostData NONE = Optional::empty;
}
