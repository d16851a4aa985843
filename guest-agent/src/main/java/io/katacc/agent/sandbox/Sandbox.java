package io.katacc.agent.sandbox;

import io.katacc.agent.api.CreateSandboxRequest;
import io.katacc.agent.container.Containers;
import io.katacc.agent.error.AgentException;
import io.katacc.agent.storage.Storages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one sandbox an agent serves: created once, destroyed once, with the sandbox-wide storages. */
public final class Sandbox {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    private final Storages storages;
    private final Containers containers;
    private final Path etcDir;
    private final List<Path> sandboxMounts = new ArrayList<>();
    private String id;
    private boolean destroyed;

    /** @param etcDir where hostname and resolv.conf go ({@code /etc} in the guest) */
    public Sandbox(Storages storages, Containers containers, Path etcDir) {
        this.storages = storages;
        this.containers = containers;
        this.etcDir = etcDir;
    }

    public synchronized void create(CreateSandboxRequest req) {
        if (id != null) {
            throw new AgentException(AgentException.Kind.ALREADY_EXISTS, "sandbox " + id + " already created");
        }
        if (req.getSandboxId().isEmpty()) {
            throw AgentException.invalid("sandbox_id is empty");
        }
        if (!req.getGuestHookPath().isEmpty()) {
            throw new AgentException(AgentException.Kind.UNIMPLEMENTED, "guest_hook_path (OCI hooks in the guest) is not supported");
        }
        if (req.getKernelModulesCount() > 0) {
            throw new AgentException(AgentException.Kind.UNIMPLEMENTED, "kernel_modules loading is not supported");
        }
        sandboxMounts.addAll(storages.mountAll(req.getStoragesList()));
        try {
            Files.createDirectories(etcDir);
            if (!req.getHostname().isEmpty()) {
                Files.writeString(etcDir.resolve("hostname"), req.getHostname() + "\n");
            }
            if (req.getDnsCount() > 0) {
                Files.writeString(etcDir.resolve("resolv.conf"), String.join("\n", req.getDnsList()) + "\n");
            }
        } catch (IOException e) {
            storages.unmountAll(sandboxMounts);
            sandboxMounts.clear();
            throw new AgentException(AgentException.Kind.INTERNAL, "writing " + etcDir + ": " + e.getMessage(), e);
        }
        id = req.getSandboxId();
        LOG.info("sandbox created id={} hostname={} storages={}", id, req.getHostname(), req.getStoragesCount());
    }

    /** Removes every container, then the sandbox storages. */
    public synchronized void destroy() {
        for (String c : containers.ids()) {
            try {
                containers.remove(c, 10);
            } catch (AgentException e) {
                LOG.warn("removing {} on DestroySandbox: {}", c, e.getMessage());
            }
        }
        storages.unmountAll(sandboxMounts);
        sandboxMounts.clear();
        destroyed = true;
        notifyAll();
        LOG.info("sandbox destroyed id={}", id);
    }

    public synchronized boolean destroyed() {
        return destroyed;
    }

    public synchronized String id() {
        return id;
    }
}
