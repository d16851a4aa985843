package io.katacc.agent.server;

import io.katacc.agent.container.Containers;
import io.katacc.agent.container.Runc;
import io.katacc.agent.policy.HostData;
import io.katacc.agent.policy.PolicyEngine;
import io.katacc.agent.policy.PolicyGate;
import io.katacc.agent.policy.PolicyInstaller;
import io.katacc.agent.sandbox.CopyFiles;
import io.katacc.agent.sandbox.Sandbox;
import io.katacc.agent.service.AgentService;
import io.katacc.agent.service.TtrpcBinding;
import io.katacc.agent.storage.Mounter;
import io.katacc.agent.storage.Storages;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.server.TtrpcServer;
import io.katacc.ttrpc.transport.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running agent: the ttrpc server over the policy-gated AgentService. */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentService service;
    private final Sandbox sandbox;
    private final TtrpcServer server;

    private Agent(AgentService service, Sandbox sandbox, TtrpcServer server) {
        this.service = service;
        this.sandbox = sandbox;
        this.server = server;
    }

    public static Agent start(AgentConfig config, PolicyEngine engine, HostData hostData) throws IOException {
        Files.createDirectories(config.stateDir());
        Files.createDirectories(config.runDir());
        Storages storages = new Storages(config.runDir(), new Mounter());
        Containers containers = new Containers(new Runc(config.runc(), config.stateDir().resolve("runc")),
                config.stateDir().resolve("bundles"));
        Sandbox sandbox = new Sandbox(storages, containers, config.etcDir());
        PolicyGate gate = new PolicyGate(engine, config.shape());
        AgentService service = new AgentService(gate, new PolicyInstaller(gate, hostData), containers, storages, sandbox,
                new CopyFiles(config.runDir().resolve("shared/containers")));
        ServiceRegistry registry = TtrpcBinding.register(new ServiceRegistry(), service);
        TtrpcServer server = TtrpcServer.start(Address.parse(config.address()), registry);
        LOG.info("agent ready address={} policy-shape={}", config.address(), config.shape().name());
        return new Agent(service, sandbox, server);
    }

    public AgentService service() {
        return service;
    }

    @Override
    public void close() {
        if (!sandbox.destroyed()) {
            sandbox.destroy();
        }
        server.shutdown(Duration.ofSeconds(5));
    }
}
