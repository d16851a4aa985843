package io.katacc.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katacc.integration.containerd.PrivateContainerd;
import io.katacc.integration.image.BusyboxImage;
import io.katacc.integration.pod.KataCcNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack, nothing faked: a real containerd runs our shim for {@code ctr run --runtime
 * io.containerd.kata-cc.v2}; the shim turns the image's layers into dm-verity EROFS disks, boots a QEMU VM
 * with the real guest agent, and the agent mounts the layers and runs the container with runc.
 */
@Tag("vm")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodEndToEndTest {
    @TempDir
    static Path work;
    static KataCcNode node;

    @BeforeAll
    static void node() throws Exception {
        TestEnvironment.requireGuestImageTools();
        assumeTrue(PrivateContainerd.unavailableReason().isEmpty(), () -> PrivateContainerd.unavailableReason().orElse(""));
        node = KataCcNode.start(TestEnvironment.repoDir(), work, 2, 1024, s -> System.out.println("node: " + s));
    }

    @AfterAll
    static void down() throws Exception {
        if (node != null) {
            node.close();
            assertEquals(List.of(), node.leftovers(), "no QEMU or shim outlives the node");
        }
    }

    record Run(int exit, String output, long millis) {
    }

    static Run ctr(List<String> args) throws Exception {
        long t0 = System.nanoTime();
        Process p = node.containerd().ctrProcess(args).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "ctr " + args + " finished");
        return new Run(p.exitValue(), out, (System.nanoTime() - t0) / 1_000_000);
    }

    static String diagnostics() throws Exception {
        return "\ncontainerd log:\n" + node.containerd().log();
    }

    /** SIGKILL, then task and container delete; the exit reaches containerd a moment after the kill. */
    static void killAndRemove(String id) throws Exception {
        Run kill = ctr(List.of("task", "kill", "-s", "SIGKILL", id));
        assertEquals(0, kill.exit(), kill.output());
        Run del = ctr(List.of("task", "delete", id));
        for (int i = 0; i < 50 && del.exit() != 0; i++) {
            Thread.sleep(200);
            del = ctr(List.of("task", "delete", id));
        }
        assertEquals(0, del.exit(), del.output() + diagnostics());
        assertEquals(0, ctr(List.of("containers", "delete", id)).exit());
    }

    /** A row of {@code ctr task metrics}' METRIC/VALUE table. */
    static long metricValue(String table, String metric) {
        return table.lines().map(String::strip).filter(l -> l.startsWith(metric + " ") || l.startsWith(metric + "\t"))
                .map(l -> l.substring(metric.length()).strip()).mapToLong(Long::parseLong).findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric + " in:\n" + table));
    }

    /** containerd does not wait for a shim to exit after Shutdown; give it (and its VM) a few seconds. */
    static void awaitNoLeftovers(String why) throws Exception {
        for (int i = 0; i < 100 && !node.leftovers().isEmpty(); i++) {
            Thread.sleep(200);
        }
        assertEquals(List.of(), node.leftovers().stream().map(p -> p.info().commandLine().orElse("?")).toList(), why);
    }

    @Test
    @Order(1)
    void ctrRunPrintsTheContainersOutputAndItsExitCode() throws Exception {
        Run r = ctr(List.of("run", "--rm", "--runtime", KataCcNode.RUNTIME, BusyboxImage.NAME, "e2e-hello",
                "sh", "-c", "echo hello; cat /etc/kcc-release; test -e /etc/removed-by-layer2 || echo whiteout-ok; exit 3"));
        System.out.printf("e2e: ctr run -> exit %d in %d ms (VM boot + agent + container, TCG)%n", r.exit(), r.millis());
        assertTrue(r.output().contains("hello\n"), r.output() + diagnostics());
        assertTrue(r.output().contains(BusyboxImage.RELEASE_TEXT), "layer 2 is visible: " + r.output());
        assertTrue(r.output().contains("whiteout-ok"), "layer 2's whiteout hides layer 1's file: " + r.output());
        assertEquals(3, r.exit(), "the container's exit code is ctr's: " + r.output() + diagnostics());
        // the agent's own log reached containerd's log through the shim (agent.log.0 port)
        String log = node.containerd().log();
        assertTrue(log.lines().anyMatch(l -> l.contains("source=agent") && l.contains("container started id=e2e-hello")),
                "agent log lines in containerd's log" + diagnostics());
        awaitNoLeftovers("ctr run --rm leaves no QEMU or shim");
    }

    @Test
    @Order(8)
    void kataRuntimeRsMultiLayerErofsStoragesAreStackedByTheAgent() throws Exception {
        // the shim reads its configuration per pod: this pod's layers travel as one multi-layer EROFS group
        Path config = node.work().resolve("configuration-qemu.toml");
        String original = java.nio.file.Files.readString(config);
        assertTrue(original.stripTrailing().endsWith("default_policy = \"" + node.work().resolve("allow-all.rego") + "\""),
                "[runtime] is the file's last table");
        java.nio.file.Files.writeString(config, original + "layer_storage = \"multi-layer-erofs\"\n");
        try {
            Run r = ctr(List.of("run", "--rm", "--runtime", KataCcNode.RUNTIME, BusyboxImage.NAME, "e2e-multi",
                    "sh", "-c", "cat /etc/kcc-release; test -e /etc/removed-by-layer2 || echo whiteout-ok; "
                            + "echo written > /w && cat /w; exit 4"));
            assertTrue(r.output().contains(BusyboxImage.RELEASE_TEXT), "layer 2 is visible: " + r.output() + diagnostics());
            assertTrue(r.output().contains("whiteout-ok"), "the upper layer of the stack wins: " + r.output());
            assertTrue(r.output().contains("written"), "the rootfs is writable (upper in guest memory): " + r.output());
            assertEquals(4, r.exit(), r.output() + diagnostics());
            assertTrue(node.containerd().log().lines().anyMatch(l -> l.contains("source=agent")
                    && l.contains("driver=multi-layer-erofs") && l.contains("layers=2")), "the agent stacked two layers");
        } finally {
            java.nio.file.Files.writeString(config, original);
        }
        awaitNoLeftovers("the multi-layer pod tears down cleanly");
    }

    @Test
    @Order(7)
    void aPolicyThatHidesLogsKeepsTheOutputInTheGuest() throws Exception {
        String policy = io.katacc.policy.agent.AgentPolicy.defaultPolicy().text()
                .replace("default ReadStreamRequest := true", "default ReadStreamRequest := false");
        String b64 = java.util.Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8));
        Run r = ctr(List.of("run", "--rm", "--runtime", KataCcNode.RUNTIME,
                "--annotation", "io.katacontainers.config.agent.policy=" + b64, BusyboxImage.NAME, "e2e-quiet",
                "sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo hidden-secret-$i; i=$((i+1)); done; exit 7"));
        assertTrue(!r.output().contains("hidden-secret"), "the host sees none of the output: " + r.output());
        assertEquals(7, r.exit(), "the container ran to its end (its stdout drained in the guest)" + diagnostics());
        assertTrue(node.containerd().log().contains("withheld by the pod's policy"), "the shim says why it is silent");
        awaitNoLeftovers("the quiet pod tears down cleanly");
    }

    @Test
    @Order(6)
    void aKilledShimTakesItsVmAlongAndContainerdCleansUp() throws Exception {
        Run run = ctr(List.of("run", "-d", "--runtime", KataCcNode.RUNTIME, BusyboxImage.NAME, "e2e-crash", "sleep", "600"));
        assertEquals(0, run.exit(), run.output() + diagnostics());
        List<ProcessHandle> shims = node.leftovers().stream()
                .filter(p -> p.info().commandLine().orElse("").contains("io.katacc.shim.cli.ShimMain")).toList();
        assertEquals(1, shims.size(), "one shim for the pod");
        shims.getFirst().destroyForcibly(); // SIGKILL: no chance to clean up itself
        awaitNoLeftovers("the VM dies with its shim (pdeathsig), and nothing else is left");
        // containerd saw the shim go, ran `containerd-shim-kata-cc-v2 delete` and marked the task stopped
        Run ls = ctr(List.of("task", "ls"));
        for (int i = 0; i < 50 && ls.output().contains("e2e-crash") && ls.output().contains("RUNNING"); i++) {
            Thread.sleep(200);
            ls = ctr(List.of("task", "ls"));
        }
        assertTrue(!ls.output().contains("RUNNING"), "no task left running: " + ls.output());
        ctr(List.of("task", "delete", "e2e-crash"));
        assertEquals(0, ctr(List.of("containers", "delete", "e2e-crash")).exit());
    }

    @Test
    @Order(5)
    void anOomKillInTheGuestIsPublishedAsTasksOom() throws Exception {
        Process events = node.containerd().ctrProcess(List.of("events")).redirectErrorStream(true).start();
        try {
            StringBuffer seen = new StringBuffer();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        seen.append(l).append('\n');
                    }
                } catch (java.io.IOException ignored) {
                    // ctr events killed
                }
            });
            Run r = ctr(List.of("run", "--rm", "--runtime", KataCcNode.RUNTIME, "--memory-limit", "33554432",
                    BusyboxImage.NAME, "e2e-oom", "sh", "-c",
                    // a moment first: an OOM kill within the first ~100 ms after start can beat the watch (README)
                    "sleep 1; x=aaaaaaaaaaaaaaaa; while :; do x=$x$x; done"));
            assertEquals(137, r.exit(), "killed by the guest kernel's OOM killer: " + r.output() + diagnostics());
            for (int i = 0; i < 50 && !seen.toString().contains("/tasks/oom"); i++) {
                Thread.sleep(100);
            }
            String oom = seen.toString().lines().filter(l -> l.contains("/tasks/oom")).findFirst().orElse("");
            assertTrue(oom.contains("e2e-oom"), "containerd got /tasks/oom for the container: " + seen + diagnostics());
            events.destroy();
            reader.join(5000);
        } finally {
            events.destroyForcibly();
        }
        awaitNoLeftovers("the OOM-killed pod tears down cleanly");
    }

    @Test
    @Order(4)
    void thePodsPolicyFromItsAnnotationGatesTheAgent() throws Exception {
        String policy = io.katacc.policy.agent.AgentPolicy.defaultPolicy().text()
                .replace("default ExecProcessRequest := true", """
                        default ExecProcessRequest := false
                        ExecProcessRequest {
                            print("exec denied: this pod's policy allows no exec")
                            false
                        }""");
        String b64 = java.util.Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8));
        Run run = ctr(List.of("run", "-d", "--runtime", KataCcNode.RUNTIME,
                "--annotation", "io.katacontainers.config.agent.policy=" + b64, BusyboxImage.NAME, "e2e-policy", "sleep", "600"));
        assertEquals(0, run.exit(), run.output() + diagnostics());
        Run exec = ctr(List.of("task", "exec", "--exec-id", "denied", "e2e-policy", "echo", "should-not-run"));
        assertTrue(exec.exit() != 0 && !exec.output().contains("should-not-run"), exec.output());
        // the print() output carries the policy's own file:line prefix, as regorus/OPA print it
        assertTrue(exec.output().contains("ExecProcessRequest is blocked by policy: ")
                        && exec.output().contains(": exec denied: this pod's policy allows no exec"),
                "the agent's denial reaches ctr: " + exec.output());
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(policy.getBytes(StandardCharsets.UTF_8)));
        assertTrue(node.containerd().log().contains("policy from ANNOTATION (HOST_DATA " + digest + ")"),
                "the shim bound SHA-256 of exactly this policy as HOST_DATA");
        killAndRemove("e2e-policy");
        awaitNoLeftovers("a denied request changes nothing else: the pod still tears down cleanly");
    }

    @Test
    @Order(3)
    void ctrRunWithATerminalGetsATtyOfTheCallersSize() throws Exception {
        assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/script")), "script(1) gives ctr -t a terminal");
        String ctr = String.join(" ", node.containerd().ctrProcess(List.of("run", "--rm", "-t", "--runtime",
                KataCcNode.RUNTIME, BusyboxImage.NAME, "e2e-tty")).command());
        // ctr resizes right after the start: wait in the container until the size arrived
        String inner = "[ -t 0 ] && [ -t 1 ] && echo tty-ok; for i in 1 2 3 4 5 6 7 8 9 10; do s=$(stty size 2>/dev/null); "
                + "[ -n \"$s\" ] && [ \"$s\" != \"0 0\" ] && break; sleep 0.3; done; echo size=$s; exit 6";
        Process p = new ProcessBuilder("/usr/bin/script", "-qec", "stty cols 123 rows 45; " + ctr + " sh -c '" + inner + "'",
                "/dev/null").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertTrue(out.contains("tty-ok"), "the container's stdio is a terminal: " + out + diagnostics());
        assertTrue(out.contains("size=45 123"), "ResizePty reached the guest terminal: " + out);
        assertEquals(6, p.exitValue(), out);
        awaitNoLeftovers("ctr run --rm -t leaves no QEMU or shim");
    }

    @Test
    @Order(2)
    void twoContainersOfOnePodShareOneVmAndExecWorks() throws Exception {
        String pod = "e2e-pod";
        Run sandbox = ctr(List.of("run", "-d", "--runtime", KataCcNode.RUNTIME,
                "--annotation", "io.kubernetes.cri.container-type=sandbox",
                "--annotation", "io.kubernetes.cri.sandbox-id=" + pod, BusyboxImage.NAME, pod, "sleep", "600"));
        assertEquals(0, sandbox.exit(), sandbox.output() + diagnostics());
        Run app = ctr(List.of("run", "-d", "--runtime", KataCcNode.RUNTIME,
                "--annotation", "io.kubernetes.cri.container-type=container",
                "--annotation", "io.kubernetes.cri.sandbox-id=" + pod, BusyboxImage.NAME, "e2e-app", "sleep", "600"));
        assertEquals(0, app.exit(), app.output() + diagnostics());
        long qemus = node.leftovers().stream().filter(p -> p.info().commandLine().orElse("").contains("qemu-system")).count();
        assertEquals(1, qemus, "both containers run in one VM");

        Run exec = ctr(List.of("task", "exec", "--exec-id", "e1", "e2e-app", "sh", "-c", "cat /etc/kcc-release; exit 5"));
        assertTrue(exec.output().contains(BusyboxImage.RELEASE_TEXT), exec.output() + diagnostics());
        assertEquals(5, exec.exit(), "exec's exit code: " + exec.output());

        // Stats: containerd decodes our cgroup v1 Metrics from the guest's numbers
        Run metrics = ctr(List.of("task", "metrics", "e2e-app"));
        assertEquals(0, metrics.exit(), metrics.output());
        long pids = metricValue(metrics.output(), "pids.current");
        long memory = metricValue(metrics.output(), "memory.usage_in_bytes");
        assertTrue(pids >= 1 && memory > 0, "metrics from the guest's cgroup: " + metrics.output());

        // Update: containerd's Task/Update (ctr 1.6 has no command for it) straight to our shim's socket
        String address = java.nio.file.Files.readString(node.containerd().dir()
                .resolve("state/io.containerd.runtime.v2.task/default/e2e-app/address")).strip();
        try (var shim = io.katacc.ttrpc.client.TtrpcClient.connect(io.katacc.ttrpc.transport.Address.parse(address))) {
            shim.call("containerd.task.v2.Task", "Update", io.katacc.shim.api.task.UpdateTaskRequest.newBuilder()
                    .setId("e2e-app").setResources(com.google.protobuf.Any.newBuilder()
                            .setTypeUrl("types.containerd.io/opencontainers/runtime-spec/1/LinuxResources")
                            .setValue(com.google.protobuf.ByteString.copyFromUtf8("{\"memory\":{\"limit\":67108864}}")))
                    .build(), com.google.protobuf.Empty.parser(), java.time.Duration.ofSeconds(60));
        }
        // ctr's spec does not mount the cgroup fs in the container: read the guest's limit back through Stats
        Run after = ctr(List.of("task", "metrics", "e2e-app"));
        assertEquals(67108864, metricValue(after.output(), "memory.limit_in_bytes"),
                "the guest cgroup took the new limit: " + after.output());

        for (String id : List.of("e2e-app", pod)) {
            killAndRemove(id);
        }
        awaitNoLeftovers("kill + delete leave no QEMU or shim");
    }
}
