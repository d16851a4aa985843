package io.katacc.shim.config;

import java.nio.file.Path;

/** The whole runtime configuration file, and where it was read from. */
public record RuntimeConfig(Path source, HypervisorConfig hypervisor, AgentConfig agent, RuntimeSection runtime) {
}
