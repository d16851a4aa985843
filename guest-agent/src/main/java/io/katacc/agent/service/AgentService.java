package io.katacc.agent.service;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.katacc.agent.api.AgentDetails;
import io.katacc.agent.api.CloseStdinRequest;
import io.katacc.agent.api.CopyFileRequest;
import io.katacc.agent.api.CreateContainerRequest;
import io.katacc.agent.api.CreateSandboxRequest;
import io.katacc.agent.api.DestroySandboxRequest;
import io.katacc.agent.api.ExecProcessRequest;
import io.katacc.agent.api.GetOOMEventRequest;
import io.katacc.agent.api.GuestDetailsRequest;
import io.katacc.agent.api.GuestDetailsResponse;
import io.katacc.agent.api.Mount;
import io.katacc.agent.api.PauseContainerRequest;
import io.katacc.agent.api.ReadStreamRequest;
import io.katacc.agent.api.ReadStreamResponse;
import io.katacc.agent.api.RemoveContainerRequest;
import io.katacc.agent.api.ReseedRandomDevRequest;
import io.katacc.agent.api.ResumeContainerRequest;
import io.katacc.agent.api.SetPolicyRequest;
import io.katacc.agent.api.SignalProcessRequest;
import io.katacc.agent.api.Spec;
import io.katacc.agent.api.StartContainerRequest;
import io.katacc.agent.api.StatsContainerRequest;
import io.katacc.agent.api.UpdateContainerRequest;
import io.katacc.agent.api.WaitProcessRequest;
import io.katacc.agent.api.WaitProcessResponse;
import io.katacc.agent.api.WriteStreamRequest;
import io.katacc.agent.api.WriteStreamResponse;
import io.katacc.agent.container.Containers;
import io.katacc.agent.error.AgentException;
import io.katacc.agent.policy.AgentRequests;
import io.katacc.agent.policy.PolicyGate;
import io.katacc.agent.policy.PolicyInstaller;
import io.katacc.agent.sandbox.CopyFiles;
import io.katacc.agent.sandbox.Sandbox;
import io.katacc.agent.storage.Storages;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * grpc.AgentService, independent of the transport: {@link #call} parses the request, asks the
 * policy, then acts. Every method of the service goes through the gate, including the ones this
 * agent does not implement (those then answer UNIMPLEMENTED naming the method).
 */
public final class AgentService {

    public static final String NAME = "grpc.AgentService";
    public static final String VERSION = "0.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);

    private final PolicyGate gate;
    private final PolicyInstaller installer;
    private final Containers containers;
    private final Storages storages;
    private final Sandbox sandbox;
    private final CopyFiles copyFiles;
    private final Map<String, Handler<Message>> handlers = new HashMap<>();
    private final io.katacc.agent.network.GuestNetwork network = new io.katacc.agent.network.GuestNetwork();
    private final io.katacc.agent.guest.HotplugOnliner onliner = new io.katacc.agent.guest.HotplugOnliner();
    private final io.katacc.agent.guest.GuestDateTime dateTime =
            new io.katacc.agent.guest.GuestDateTime(new io.katacc.agent.guest.LibcRealtimeClock());
    private final Map<String, List<Path>> containerMounts = new ConcurrentHashMap<>();

    public AgentService(PolicyGate gate, PolicyInstaller installer, Containers containers, Storages storages,
                        Sandbox sandbox, CopyFiles copyFiles) {
        this.gate = gate;
        this.installer = installer;
        this.containers = containers;
        this.storages = storages;
        this.sandbox = sandbox;
        this.copyFiles = copyFiles;
        register();
    }

    /** Names of the methods this agent carries out (the others answer UNIMPLEMENTED after the gate). */
    public List<String> implementedMethods() {
        return handlers.keySet().stream().sorted().toList();
    }

    /** One call: request bytes in, response bytes out, or an {@link AgentException}. */
    public byte[] call(String method, byte[] payload) {
        MethodDescriptor md = AgentRequests.methods().stream().filter(m -> m.getName().equals(method)).findFirst()
                .orElseThrow(() -> new AgentException(AgentException.Kind.UNIMPLEMENTED,
                        NAME + "/" + method + " is not a method of " + NAME));
        Message request;
        try {
            request = AgentRequests.prototype(md.getInputType().getName()).getParserForType().parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw AgentException.invalid(method + ": malformed " + md.getInputType().getName() + ": " + e.getMessage());
        }
        return invoke(method, request).toByteArray();
    }

    /** The gate, then the handler. Public for in-process callers and tests. */
    public Message invoke(String method, Message request) {
        try {
            gate.check(request);
        } catch (AgentException denied) {
            if (request instanceof ReadStreamRequest r && denied.kind() == AgentException.Kind.PERMISSION_DENIED) {
                return readWithheld(r, method.equals("ReadStdout"), denied);
            }
            throw denied;
        }
        Handler<Message> h = handlers.get(method);
        if (h == null) {
            throw new AgentException(AgentException.Kind.UNIMPLEMENTED, method + " is not implemented by this agent");
        }
        try {
            return h.handle(request);
        } catch (AgentException e) {
            LOG.info("{} failed: {} {}", method, e.kind(), e.getMessage());
            throw e;
        } catch (Exception e) {
            LOG.error("{} failed", method, e);
            throw new AgentException(AgentException.Kind.INTERNAL, method + ": " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    private <Q extends Message> void on(String method, Class<Q> type, Handler<Q> h) {
        handlers.put(method, (Handler<Message>) (Handler<?>) h);
    }

    private static final Empty EMPTY = Empty.getDefaultInstance();

    private void register() {
        on("CreateSandbox", CreateSandboxRequest.class, r -> {
            sandbox.create(r);
            return EMPTY;
        });
        on("DestroySandbox", DestroySandboxRequest.class, r -> {
            containerMounts.keySet().forEach(this::unmountContainer);
            sandbox.destroy();
            return EMPTY;
        });
        on("CreateContainer", CreateContainerRequest.class, this::createContainer);
        on("StartContainer", StartContainerRequest.class, r -> {
            containers.start(r.getContainerId());
            return EMPTY;
        });
        on("RemoveContainer", RemoveContainerRequest.class, r -> {
            containers.remove(r.getContainerId(), r.getTimeout());
            unmountContainer(r.getContainerId());
            return EMPTY;
        });
        on("ExecProcess", ExecProcessRequest.class, r -> {
            containers.exec(r);
            return EMPTY;
        });
        on("SignalProcess", SignalProcessRequest.class, r -> {
            containers.signal(r.getContainerId(), r.getExecId(), r.getSignal());
            return EMPTY;
        });
        on("WaitProcess", WaitProcessRequest.class, r -> WaitProcessResponse.newBuilder()
                .setStatus(containers.waitProcess(r.getContainerId(), r.getExecId())).build());
        on("UpdateContainer", UpdateContainerRequest.class, r -> {
            containers.update(r.getContainerId(), r.getResources());
            return EMPTY;
        });
        on("StatsContainer", StatsContainerRequest.class, r -> containers.stats(r.getContainerId()));
        on("PauseContainer", PauseContainerRequest.class, r -> {
            containers.pause(r.getContainerId());
            return EMPTY;
        });
        on("ResumeContainer", ResumeContainerRequest.class, r -> {
            containers.resume(r.getContainerId());
            return EMPTY;
        });
        on("WriteStdin", WriteStreamRequest.class, r -> WriteStreamResponse.newBuilder()
                .setLen(containers.process(r.getContainerId(), r.getExecId()).write(r.getData().toByteArray())).build());
        on("ReadStdout", ReadStreamRequest.class, r -> read(r, true));
        on("ReadStderr", ReadStreamRequest.class, r -> read(r, false));
        on("CloseStdin", CloseStdinRequest.class, r -> {
            containers.process(r.getContainerId(), r.getExecId()).closeStdin();
            return EMPTY;
        });
        on("TtyWinResize", io.katacc.agent.api.TtyWinResizeRequest.class, r -> {
            containers.process(r.getContainerId(), r.getExecId()).resize(r.getRow(), r.getColumn());
            return EMPTY;
        });
        on("GetGuestDetails", GuestDetailsRequest.class, this::guestDetails);
        on("ReseedRandomDev", ReseedRandomDevRequest.class, r -> {
            // writing to /dev/random mixes the bytes into the pool without crediting entropy
            try (FileOutputStream out = new FileOutputStream("/dev/random")) {
                out.write(r.getData().toByteArray());
            }
            return EMPTY;
        });
        on("CopyFile", CopyFileRequest.class, r -> {
            copyFiles.copy(r);
            return EMPTY;
        });
        on("GetOOMEvent", GetOOMEventRequest.class, r -> {
            // long poll: the next OOM-killed container, until the sandbox goes away
            while (!sandbox.destroyed()) {
                var id = containers.oomEvents().poll(java.time.Duration.ofSeconds(1));
                if (id.isPresent()) {
                    return io.katacc.agent.api.OOMEvent.newBuilder().setContainerId(id.get()).build();
                }
            }
            throw new AgentException(AgentException.Kind.NOT_FOUND, "sandbox destroyed, no more OOM events");
        });
        on("ListInterfaces", io.katacc.agent.api.ListInterfacesRequest.class, r -> network.listInterfaces());
        on("ListRoutes", io.katacc.agent.api.ListRoutesRequest.class, r -> network.listRoutes());
        on("UpdateInterface", io.katacc.agent.api.UpdateInterfaceRequest.class, r -> {
            if (!r.hasInterface()) {
                throw AgentException.invalid("UpdateInterface: interface is required");
            }
            return network.updateInterface(r.getInterface());
        });
        on("UpdateRoutes", io.katacc.agent.api.UpdateRoutesRequest.class, r -> network.updateRoutes(r.getRoutes()));
        on("AddARPNeighbors", io.katacc.agent.api.AddARPNeighborsRequest.class, r -> {
            network.addArpNeighbors(r.getNeighbors().getARPNeighborsList());
            return EMPTY;
        });
        on("OnlineCPUMem", io.katacc.agent.api.OnlineCPUMemRequest.class, r -> {
            onliner.online(r.getNbCpus(), r.getCpuOnly());
            return EMPTY;
        });
        on("SetGuestDateTime", io.katacc.agent.api.SetGuestDateTimeRequest.class, r -> {
            dateTime.set(r.getSec(), r.getUsec());
            return EMPTY;
        });
        on("SetPolicy", SetPolicyRequest.class, r -> {
            installer.install(r);
            return EMPTY;
        });
    }

    /**
     * The policy hides this stream from the host: the output is still read (a container whose pipe nobody
     * drains would block on its next write) and thrown away; the caller gets the denial for each chunk and a
     * plain end-of-file at the end, so it can stop.
     */
    private ReadStreamResponse readWithheld(ReadStreamRequest r, boolean stdout, AgentException denied) {
        byte[] data;
        try {
            data = containers.process(r.getContainerId(), r.getExecId()).read(stdout, r.getLen());
        } catch (AgentException noStream) {
            throw denied; // no such stream: the answer is still the policy's
        }
        if (data.length == 0) {
            return ReadStreamResponse.getDefaultInstance();
        }
        throw denied;
    }

    private ReadStreamResponse read(ReadStreamRequest r, boolean stdout) {
        byte[] data = containers.process(r.getContainerId(), r.getExecId()).read(stdout, r.getLen());
        return ReadStreamResponse.newBuilder().setData(com.google.protobuf.ByteString.copyFrom(data)).build();
    }

    private Message createContainer(CreateContainerRequest r) {
        if (r.getDevicesCount() > 0) {
            throw new AgentException(AgentException.Kind.UNIMPLEMENTED, "CreateContainer: devices are not supported");
        }
        List<Path> mounts = storages.mountAll(r.getStoragesList());
        try {
            containers.create(r.toBuilder().setOCI(guestPaths(r.getOCI())).build());
        } catch (RuntimeException e) {
            storages.unmountAll(mounts);
            throw e;
        }
        containerMounts.put(r.getContainerId(), mounts);
        return EMPTY;
    }

    /** Paths under /run/kata-containers in the spec point into the agent's run directory. */
    private Spec guestPaths(Spec spec) {
        Spec.Builder b = spec.toBuilder();
        if (spec.hasRoot() && spec.getRoot().getPath().startsWith(Storages.GUEST_RUN_DIR + "/")) {
            b.getRootBuilder().setPath(storages.mapIntoRunDir(Path.of(spec.getRoot().getPath()).normalize()).toString());
        }
        for (int i = 0; i < spec.getMountsCount(); i++) {
            Mount m = spec.getMounts(i);
            if (m.getType().equals("bind") && m.getSource().startsWith(Storages.GUEST_RUN_DIR + "/")) {
                b.setMounts(i, m.toBuilder().setSource(
                        storages.mapIntoRunDir(Path.of(m.getSource()).normalize()).toString()));
            }
        }
        return b.build();
    }

    private void unmountContainer(String id) {
        List<Path> m = containerMounts.remove(id);
        if (m != null) {
            storages.unmountAll(m);
        }
    }

    private GuestDetailsResponse guestDetails(GuestDetailsRequest r) throws IOException {
        GuestDetailsResponse.Builder b = GuestDetailsResponse.newBuilder();
        Path blockSize = Path.of("/sys/devices/system/memory/block_size_bytes");
        if (r.getMemBlockSize() && Files.isReadable(blockSize)) {
            b.setMemBlockSizeBytes(Long.parseUnsignedLong(Files.readString(blockSize).strip(), 16));
        }
        if (r.getMemHotplugProbe()) {
            b.setSupportMemHotplugProbe(Files.exists(Path.of("/sys/devices/system/memory/probe")));
        }
        b.setAgentDetails(AgentDetails.newBuilder().setVersion(VERSION).setInitDaemon(ProcessHandle.current().pid() == 1)
                .addAllStorageHandlers(Storages.DRIVERS).addExtraFeatures("agent-policy"));
        return b.build();
    }
}
