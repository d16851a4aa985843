package io.katacc.shim.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code [agent.kata]} section.
 *
 * @param dialTimeout    how long to keep trying to reach the agent after boot ({@code dial_timeout}, seconds)
 * @param requestTimeout per-request deadline ({@code request_timeout}, seconds; our addition)
 * @param kernelModules  modules the agent loads at boot
 * @param debug          agent debug logging
 */
public record AgentConfig(Duration dialTimeout, Duration requestTimeout, List<String> kernelModules, boolean debug) {
    public AgentConfig {
        kernelModules = List.copyOf(kernelModules);
    }
}
