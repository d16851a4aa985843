package io.katacc.integration.pod;

import io.katacc.integration.agent.AgentLauncherJar;
import io.katacc.integration.containerd.PrivateContainerd;
import io.katacc.integration.guestimage.GuestImage;
import io.katacc.integration.guestimage.GuestImageBuild;
import io.katacc.integration.guestimage.GuestImageBuilder;
import io.katacc.integration.image.BusyboxImage;
import io.katacc.integration.vm.Accelerator;
import io.katacc.integration.vm.AcceleratorChoice;
import io.katacc.policy.agent.AgentPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A node as a platform engineer would set one up, under one work directory: the guest image built from
 * this checkout, a runtime configuration for {@code io.containerd.kata-cc.v2}, a private containerd whose PATH
 * holds our shim, and the test busybox image imported. The demo and the end-to-end tests share it.
 */
public final class KataCcNode implements AutoCloseable {
    public static final String RUNTIME = "io.containerd.kata-cc.v2";

    private final Path work;
    private final PrivateContainerd containerd;
    private final GuestImageBuild image;
    private final Path stateDir;

    private KataCcNode(Path work, PrivateContainerd containerd, GuestImageBuild image, Path stateDir) {
        this.work = work;
        this.containerd = containerd;
        this.image = image;
        this.stateDir = stateDir;
    }

    /**
     * @param repo     this checkout (bin/ holds the shim launcher; guest-agent and shim must be built)
     * @param work     a fresh directory for containerd's root, sockets, sandbox state
     * @param progress one line per step, for the demo's output
     */
    public static KataCcNode start(Path repo, Path work, int vcpus, int memoryMiB, Consumer<String> progress)
            throws IOException, InterruptedException {
        PrivateContainerd.unavailableReason().ifPresent(r -> {
            throw new IllegalStateException(r);
        });
        Files.createDirectories(work);
        progress.accept("building the guest image (cached when its inputs are unchanged)");
        // outside the work directory: same classes, same bytes, same image cache key across runs
        Path agentDir = Files.createDirectories(repo.resolve("integration/target/guest-agent-launcher"));
        AgentLauncherJar.Layout agent = AgentLauncherJar.writeFromBuild(repo, agentDir);
        Path policy = Files.writeString(work.resolve("allow-all.rego"), AgentPolicy.defaultPolicy().text());
        GuestImageBuild image = new GuestImageBuilder(GuestImageBuilder.scriptIn(repo), agent.jar())
                .withAgentLib(agent.lib()).withDefaultPolicy(policy).withAotCache().build();
        progress.accept("guest image " + image.image().dir() + (image.cached() ? " (cached)" : " (built in "
                + image.elapsed().toMillis() + " ms)"));

        AcceleratorChoice accel = AcceleratorChoice.detect();
        Path stateDir = work.resolve("kata-cc-state");
        Path config = writeRuntimeConfig(work.resolve("configuration-qemu.toml"), image.image(), accel, vcpus, memoryMiB,
                stateDir, work.resolve("layer-cache"), policy);
        progress.accept("runtime config " + config + " (QEMU " + accel.accelerator() + ": " + accel.reason() + ")");

        Map<String, String> env = Map.of(
                "PATH", repo.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
                "KATA_CC_CONF_FILE", config.toString(),
                "KATA_CC_SHIM_SOCKET_DIR", work.resolve("s").toString(),
                "KATA_CC_STATE_DIR", stateDir.toString());
        PrivateContainerd containerd = PrivateContainerd.start(work.resolve("containerd"), env);
        try {
            Path archive = BusyboxImage.write(Path.of("/bin/busybox"), work.resolve("kcc-busybox.oci.tar"));
            PrivateContainerd.CtrResult imported = containerd.ctr(List.of("images", "import", archive.toString()), 120);
            if (imported.exit() != 0) {
                throw new IOException("ctr images import failed: " + imported.output());
            }
            progress.accept("imported " + BusyboxImage.NAME + " into a private containerd at " + containerd.socket());
        } catch (IOException | InterruptedException | RuntimeException e) {
            containerd.close();
            throw e;
        }
        return new KataCcNode(work, containerd, image, stateDir);
    }

    static Path writeRuntimeConfig(Path file, GuestImage image, AcceleratorChoice accel, int vcpus, int memoryMiB,
                                   Path stateDir, Path layerCache, Path policy) throws IOException {
        return Files.writeString(file, """
                # io.containerd.kata-cc.v2 on QEMU (Kata's configuration-qemu layout); written by KataCcNode
                [hypervisor.qemu]
                path = "/usr/bin/qemu-system-x86_64"
                kernel = "%s"
                initrd = "%s"
                kernel_params = "%s"
                default_vcpus = %d
                default_memory = %d
                accel = "%s"

                [agent.kata]
                dial_timeout = 180
                request_timeout = 120

                [runtime]
                state_dir = "%s"
                layer_cache_dir = "%s"
                default_policy = "%s"
                """.formatted(image.kernel(), image.initramfs(), image.cmdline(), vcpus, memoryMiB,
                accel.accelerator() == Accelerator.KVM ? "kvm" : "tcg", stateDir, layerCache, policy));
    }

    public PrivateContainerd containerd() {
        return containerd;
    }

    public GuestImageBuild image() {
        return image;
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path work() {
        return work;
    }

    /** {@code ctr run --runtime io.containerd.kata-cc.v2 [flags] IMAGE ID args...}, not yet started. */
    public ProcessBuilder run(String id, List<String> ctrFlags, List<String> args) {
        List<String> a = new java.util.ArrayList<>(List.of("run", "--runtime", RUNTIME));
        a.addAll(ctrFlags);
        a.add(BusyboxImage.NAME);
        a.add(id);
        a.addAll(args);
        return containerd.ctrProcess(a);
    }

    /** QEMU and shim processes this node started that are still alive. */
    public List<ProcessHandle> leftovers() {
        String marker = work.toString();
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(marker)
                && (c.contains("qemu-system") || c.contains("io.katacc.shim.cli.ShimMain"))).orElse(false)).toList();
    }

    /**
     * Removes what containers are left, stops containerd, kills stragglers. Short timeouts: when a Create is
     * still booting its VM (an interrupted demo), containerd may not answer, and the sweep below must still run.
     */
    @Override
    public void close() throws InterruptedException {
        try {
            PrivateContainerd.CtrResult tasks = containerd.ctr(List.of("tasks", "ls", "-q"), 10);
            for (String t : tasks.output().lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
                containerd.ctr(List.of("tasks", "kill", "-s", "SIGKILL", t), 10);
                containerd.ctr(List.of("tasks", "delete", "-f", t), 20);
            }
            PrivateContainerd.CtrResult cs = containerd.ctr(List.of("containers", "ls", "-q"), 10);
            for (String c : cs.output().lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
                containerd.ctr(List.of("containers", "delete", c), 10);
            }
        } catch (IOException e) {
            // containerd unusable: the process sweep below still runs
        } finally {
            containerd.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!leftovers().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            leftovers().forEach(ProcessHandle::destroyForcibly);
        }
    }
}
