package io.katacc.shim.sandbox;

import io.katacc.agent.api.CheckRequest;
import io.katacc.agent.api.CreateSandboxRequest;
import io.katacc.agent.api.HealthCheckResponse;
import io.katacc.agent.api.KernelModule;
import io.katacc.shim.agent.AgentClient;
import io.katacc.shim.config.HypervisorKind;
import io.katacc.shim.config.RuntimeConfig;
import io.katacc.shim.hypervisor.AgentEndpoint;
import io.katacc.shim.hypervisor.BlockDevice;
import io.katacc.shim.hypervisor.PciPath;
import io.katacc.shim.rootfs.PodLayers;
import io.katacc.verity.cache.LayerCache;
import io.katacc.verity.layer.LayerImageBuilder;
import io.katacc.shim.hypervisor.Hypervisor;
import io.katacc.shim.hypervisor.ProcessLauncher;
import io.katacc.shim.hypervisor.VmSpec;
import io.katacc.shim.hypervisor.clh.CloudHypervisor;
import io.katacc.shim.hypervisor.qemu.KvmProbe;
import io.katacc.shim.hypervisor.qemu.Qemu;
import io.katacc.shim.hypervisor.qemu.QemuOptions;
import io.katacc.shim.hypervisor.qemu.QemuVersion;
import io.katacc.shim.policy.PolicyDocument;
import io.katacc.shim.policy.PolicyResolver;
import io.katacc.shim.state.SandboxState;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.transport.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The production sandbox: boot the VM described by the runtime configuration with HOST_DATA =
 * SHA-256(policy), reach the agent, {@code SetPolicy}, {@code CreateSandbox}.
 */
public final class VmSandbox implements Sandbox {
    private static final Logger log = LoggerFactory.getLogger(VmSandbox.class);

    private final Hypervisor vm;
    private final AgentClient agent;
    private final SandboxState state;
    private final PodLayers layers;
    private final AgentLogRelay logs;

    private VmSandbox(Hypervisor vm, AgentClient agent, SandboxState state, PodLayers layers, AgentLogRelay logs) {
        this.vm = vm;
        this.agent = agent;
        this.state = state;
        this.layers = layers;
        this.logs = logs;
    }

    public static Sandbox.Factory factory(RuntimeConfig config, String namespace, ProcessLauncher launcher) {
        return (sandboxId, annotations) -> boot(config, namespace, launcher, sandboxId, annotations);
    }

    static VmSandbox boot(RuntimeConfig config, String namespace, ProcessLauncher launcher, String sandboxId,
                          Map<String, String> annotations) throws IOException, InterruptedException {
        PolicyDocument policy = new PolicyResolver(config.runtime().defaultPolicy()).resolve(annotations);
        SandboxState state = SandboxState.of(config.runtime().stateDir(), namespace, sandboxId);
        var h = config.hypervisor();
        VmSpec spec = new VmSpec(sandboxId, h.defaultVcpus(), h.defaultMaxVcpus(), h.defaultMemoryMiB(),
                java.util.Optional.ofNullable(h.kernel()), h.initrd(), h.image(), h.igvm(), h.kernelParams(), h.snp(),
                policy.hostData(), List.of(), state.create());
        Hypervisor vm = h.kind() == HypervisorKind.CLH
                ? new CloudHypervisor(h.path(), launcher, Duration.ofSeconds(10))
                : new Qemu(new QemuOptions(h.path(),
                        h.accel().equals("kvm") || (h.accel().equals("auto") && KvmProbe.probe().usable()),
                        Files.exists(Path.of("/dev/vhost-vsock")), QemuVersion.of(h.path()), 8, false),
                        launcher, Duration.ofSeconds(30));
        AgentLogRelay logs = null;
        try {
            long t0 = System.nanoTime();
            vm.start(spec);
            state.recordVm(vm.process());
            // before the agent starts, so its first lines are read too
            logs = vm.logEndpoint().map(e -> AgentLogRelay.start(address(e))).orElse(null);
            long tVm = System.nanoTime();
            AgentClient agent = connect(vm.agentEndpoint(), config.agent().dialTimeout(), config.agent().requestTimeout());
            long tAgent = System.nanoTime();
            agent.setPolicy(policy.text());
            CreateSandboxRequest.Builder cs = CreateSandboxRequest.newBuilder().setSandboxId(sandboxId)
                    .setHostname(annotations.getOrDefault("io.kubernetes.cri.sandbox-name", sandboxId));
            config.agent().kernelModules().forEach(m -> cs.addKernelModules(KernelModule.newBuilder().setName(m)));
            agent.createSandbox(cs.build());
            long tDone = System.nanoTime();
            // one line the demo and the README figures read: where a sandbox's boot time goes
            log.info("sandbox {} up in {} ms: vmm-start {} ms, guest-boot-to-agent-answer {} ms, set-policy+create-sandbox {} ms; "
                            + "policy from {} (HOST_DATA {})", sandboxId, ms(tDone - t0), ms(tVm - t0), ms(tAgent - tVm),
                    ms(tDone - tAgent), policy.source(), policy.hostDataHex());
            Path console = state.file("console.log");
            if (Files.isReadable(console)) {
                log.info("sandbox {} {}", sandboxId, GuestBootFigures.parse(Files.readString(console)));
            }
            LayerImageBuilder builder = new LayerImageBuilder();
            PodLayers layers = new PodLayers(new LayerCache(config.runtime().layerCacheDir(), builder),
                    builder, state.file("layers"), new PodLayers.Disks() {
                        @Override
                        public PciPath attach(BlockDevice disk) throws IOException {
                            return vm.addDisk(disk);
                        }

                        @Override
                        public void detach(String id) throws IOException {
                            vm.removeDisk(id);
                        }
                    }, config.runtime().layerStorage());
            return new VmSandbox(vm, agent, state, layers, logs);
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (logs != null) {
                logs.close();
            }
            vm.close();
            state.destroy();
            throw e;
        }
    }

    static Address address(AgentEndpoint endpoint) {
        return switch (endpoint) {
            case AgentEndpoint.HybridVsock hv -> Address.parse("hvsock://" + hv.socket() + ":" + hv.port());
            case AgentEndpoint.Serial s -> Address.parse("unix://" + s.socket());
            case AgentEndpoint.Vsock v -> Address.parse("vsock://" + v.cid() + ":" + v.port());
        };
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** Dials until the agent answers a health check; a booting guest refuses or stays silent for a while. */
    static AgentClient connect(AgentEndpoint endpoint, Duration dialTimeout, Duration requestTimeout)
            throws IOException, InterruptedException {
        Address address = address(endpoint);
        Instant deadline = Instant.now().plus(dialTimeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            TtrpcClient client = null;
            try {
                client = TtrpcClient.connect(address);
                client.call("grpc.Health", "Check", CheckRequest.getDefaultInstance(), HealthCheckResponse.parser(),
                        Duration.ofSeconds(5));
                return new AgentClient(client, requestTimeout);
            } catch (IOException | RuntimeException e) {
                last = e;
                if (client != null) {
                    client.close();
                }
                Thread.sleep(200);
            }
        }
        throw new IOException("agent at " + address + " did not answer within " + dialTimeout
                + (last == null ? "" : ": " + last.getMessage()), last);
    }

    @Override
    public AgentClient agent() {
        return agent;
    }

    @Override
    public PodLayers layers() {
        return layers;
    }

    @Override
    public long pid() {
        return vm.process().pid();
    }

    @Override
    public void close() {
        try {
            agent.destroySandbox();
        } catch (RuntimeException e) {
            log.warn("DestroySandbox failed, stopping the VM anyway: {}", e.getMessage());
        }
        agent.close();
        if (logs != null) {
            logs.close();
        }
        vm.close();
        try {
            state.destroy();
        } catch (IOException e) {
            log.warn("removing sandbox state {}: {}", state.dir(), e.getMessage());
        }
    }
}
