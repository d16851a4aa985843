package io.katacc.shim.cli;

import io.katacc.shim.api.task.DeleteResponse;
import io.katacc.shim.state.SandboxState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** start/delete as containerd runs them, with a real daemonized child process. */
@Timeout(120)
class ShimLifecycleTest {
    @TempDir
    Path tmp;
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killServers() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    private Path bundle(String name, String annotations) throws Exception {
        Path b = Files.createDirectories(tmp.resolve("bundles").resolve(name));
        Files.writeString(b.resolve("config.json"), "{\"ociVersion\":\"1.1.0\",\"annotations\":{" + annotations + "}}");
        return b;
    }

    private StartCommand start() {
        List<String> launcher = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FakeShimServer.class.getName());
        return new StartCommand(tmp.resolve("s"), launcher, Duration.ofSeconds(60));
    }

    private ShimFlags flags(String id) {
        return new ShimFlags("k8s.io", "/run/containerd/containerd.sock", "/usr/bin/containerd", id,
                Optional.empty(), false, false, Optional.empty(), List.of("start"));
    }

    @Test
    void startDaemonizesOncePerPodAndReusesTheSandboxShim() throws Exception {
        Path sandbox = bundle("pod1", "\"io.kubernetes.cri.container-type\":\"sandbox\",\"io.kubernetes.cri.sandbox-id\":\"pod1\"");
        Path app = bundle("app1", "\"io.kubernetes.cri.container-type\":\"container\",\"io.kubernetes.cri.sandbox-id\":\"pod1\"");
        Path other = bundle("solo", "");

        String a1 = start().run(flags("pod1"), sandbox);
        long pid = Long.parseLong(Files.readString(sandbox.resolve("shim.pid")));
        ProcessHandle.of(pid).ifPresent(started::add);
        assertTrue(a1.startsWith("unix://" + tmp.resolve("s") + "/"), a1);
        assertEquals(a1, Files.readString(sandbox.resolve("address")));
        assertTrue(ShimSocket.parse(a1).alive());
        assertTrue(Files.readString(sandbox.resolve("server-args.txt")).contains("-id pod1"));
        assertTrue(ProcessHandle.of(pid).orElseThrow().isAlive(), "server keeps running after start returns");

        String a2 = start().run(flags("app1"), app);
        assertEquals(a1, a2, "a container of the same pod gets the pod's shim");
        assertEquals(a1, Files.readString(app.resolve("address")));
        assertFalse(Files.exists(app.resolve("shim.pid")), "no second server was launched");

        String a3 = start().run(flags("solo"), other);
        assertNotEquals(a1, a3);
        ProcessHandle.of(Long.parseLong(Files.readString(other.resolve("shim.pid")))).ifPresent(started::add);
    }

    @Test
    void startReportsAServerThatDies() throws Exception {
        Path b = bundle("dies", "");
        var failing = new StartCommand(tmp.resolve("s"), List.of("/bin/false"), Duration.ofSeconds(30));
        var e = assertThrows(java.io.IOException.class, () -> failing.run(flags("dies"), b));
        assertTrue(e.getMessage().startsWith("shim server exited with status 1"), e.getMessage());
        assertFalse(Files.exists(b.resolve("address")), "no address for a shim that is not serving");
    }

    @Test
    void deleteKillsTheLeftoverVmAndAnswersSigkill() throws Exception {
        Path b = bundle("dead", "");
        Path stateRoot = tmp.resolve("state");
        SandboxState state = SandboxState.of(stateRoot, "k8s.io", "dead");
        state.create();
        Process fakeVm = new ProcessBuilder("sleep", "300").start();
        started.add(fakeVm.toHandle());
        state.recordVm(fakeVm.toHandle());

        Instant now = Instant.parse("2026-01-02T03:04:05.000000006Z");
        ShimFlags f = new ShimFlags("k8s.io", "/run/containerd/containerd.sock", "", "dead", Optional.of(b),
                false, false, Optional.empty(), List.of("delete"));
        DeleteResponse r = new DeleteCommand(stateRoot, tmp.resolve("s"), Clock.fixed(now, ZoneOffset.UTC)).run(f, b);
        assertEquals(137, r.getExitStatus());
        assertEquals(now.getEpochSecond(), r.getExitedAt().getSeconds());
        assertEquals(6, r.getExitedAt().getNanos());
        assertTrue(fakeVm.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "leftover VM process was killed");
        assertFalse(Files.exists(state.dir()), "state removed");
    }

    @Test
    void deleteLeavesAPidThatIsNoLongerTheVm() throws Exception {
        SandboxState state = SandboxState.of(tmp.resolve("state"), "ns", "x");
        state.create();
        Process other = new ProcessBuilder("sleep", "300").start();
        started.add(other.toHandle());
        Files.writeString(state.file("vm.pid"), other.pid() + "\n1970-01-01T00:00:00Z\n");
        state.destroy();
        assertTrue(other.isAlive(), "a recycled pid is not killed");
        assertFalse(Files.exists(state.dir()));
        assertThrows(IllegalArgumentException.class, () -> SandboxState.of(tmp, "ns", "../etc"));
    }

    @Test
    void mainPrintsVersionAndDeleteResponseAndRejectsBadInput() throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        assertEquals(0, ShimMain.run(List.of("-v"), Map.of(), new PrintStream(out), new PrintStream(err)));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("containerd-shim-kata-cc-v2:\n  Version:  "));

        Path b = bundle("gone", "");
        out.reset();
        assertEquals(0, ShimMain.run(List.of("-namespace", "n", "-id", "gone", "-bundle", b.toString(), "delete"),
                Map.of("KATA_CC_STATE_DIR", tmp.resolve("st").toString(), ShimSocket.DIR_ENV, tmp.resolve("s").toString()),
                new PrintStream(out), new PrintStream(err)));
        assertEquals(137, DeleteResponse.parseFrom(out.toByteArray()).getExitStatus());

        err.reset();
        assertEquals(1, ShimMain.run(List.of("-id", "x", "frobnicate"), Map.of(), new PrintStream(out), new PrintStream(err)));
        assertEquals("containerd-shim-kata-cc-v2: unknown action \"frobnicate\" (want start or delete)\n",
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(1, ShimMain.run(List.of("-id", "x", "-bundle", tmp.resolve("nobundle").toString(), "-namespace", "n", "start"),
                Map.of(ShimSocket.DIR_ENV, tmp.resolve("s").toString()), new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("has no config.json"), err.toString(StandardCharsets.UTF_8));
    }
}
