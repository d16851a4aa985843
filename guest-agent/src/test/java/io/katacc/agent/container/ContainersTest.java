package io.katacc.agent.container;

import io.katacc.agent.error.AgentException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.agent.api.CreateContainerRequest;
import io.katacc.agent.api.ExecProcessRequest;
import io.katacc.agent.api.LinuxPids;
import io.katacc.agent.api.LinuxResources;
import io.katacc.agent.api.StatsContainerResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real runc, real busybox: the container layer without ttrpc or policy. */
class ContainersTest {

    @TempDir
    Path tmp;
    private Containers containers;
    private Path rootfs;
    private final String prefix = "kcc-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void setUp() throws Exception {
        BusyboxBundle.assumeTools();
        rootfs = BusyboxBundle.rootfs(Files.createDirectories(tmp.resolve("rootfs")));
        containers = new Containers(new Runc(BusyboxBundle.runcBinary(), tmp.resolve("runc")), tmp.resolve("bundles"));
    }

    @AfterEach
    void tearDown() {
        if (containers != null) {
            for (String id : containers.ids()) {
                containers.remove(id, 10);
            }
        }
    }

    private String create(String... args) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        containers.create(CreateContainerRequest.newBuilder().setContainerId(id).setExecId(id)
                .setOCI(BusyboxBundle.spec(rootfs, "/kcc-test/" + id, args)).build());
        return id;
    }

    private static String readAll(ContainerProcess p, boolean stdout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk;
        while ((chunk = p.read(stdout, 4096)).length > 0) {
            out.writeBytes(chunk);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void initStdioAndExitCode() {
        String id = create("sh", "-c", "read line; echo got:$line; echo oops >&2; exit 7");
        containers.start(id);
        ContainerProcess init = containers.process(id, "");
        assertEquals(6, init.write("hello\n".getBytes(StandardCharsets.UTF_8)));
        init.closeStdin();
        assertEquals("got:hello\n", readAll(init, true));
        assertEquals("oops\n", readAll(init, false));
        assertEquals(7, containers.waitProcess(id, id));
    }

    @Test
    void theInitExistsFromCreateAndRunsOnlyAtStart() throws Exception {
        String id = create("sh", "-c", "echo started; exit 3");
        ContainerProcess init = containers.process(id, "");
        assertTrue(init.pid() > 0 && Files.exists(Path.of("/proc/" + init.pid())), "the init exists after create");
        assertTrue(containers.runcState(id).contains("\"created\""), containers.runcState(id));
        Thread.sleep(200);
        String comm = Files.readString(Path.of("/proc/" + init.pid() + "/comm")).strip();
        assertTrue(comm.startsWith("runc"), "until StartContainer the init is still runc's, not sh: " + comm);
        assertFalse(init.exited());
        containers.start(id);
        assertEquals("started\n", readAll(init, true));
        assertEquals(3, containers.waitProcess(id, ""));

        // a created container can be killed before it ever starts; its status is still reported
        String never = create("sleep", "1000");
        containers.signal(never, "", 9);
        assertEquals(128 + 9, containers.waitProcess(never, ""));
        var late = assertThrows(AgentException.class, () -> containers.start(never));
        assertEquals(AgentException.Kind.FAILED_PRECONDITION, late.kind());
        containers.remove(never, 10);
        assertFalse(containers.ids().contains(never));
    }

    @Test
    void longPollReadsOfSilentProcessesDoNotStarveOtherRequests() throws Exception {
        // more blocked readers than the virtual-thread scheduler has carriers: a read that pinned its
        // carrier would leave nobody to serve the exec below
        String id = create("sleep", "1000");
        containers.start(id);
        int readers = Runtime.getRuntime().availableProcessors() + 2;
        java.util.List<Thread> polls = new java.util.ArrayList<>();
        for (int i = 0; i < (readers + 1) / 2; i++) {
            String exec = "silent" + i;
            containers.exec(ExecProcessRequest.newBuilder().setContainerId(id).setExecId(exec)
                    .setProcess(BusyboxBundle.process("sleep", "1000")).build());
            for (boolean stdout : new boolean[] {true, false}) {
                polls.add(Thread.ofVirtual().start(() -> containers.process(id, exec).read(stdout, 4096)));
            }
        }
        Thread.sleep(300);
        var other = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            containers.exec(ExecProcessRequest.newBuilder().setContainerId(id).setExecId("busy")
                    .setProcess(BusyboxBundle.process("echo", "served")).build());
            return readAll(containers.process(id, "busy"), true);
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        assertEquals("served\n", other.get(60, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(polls.stream().allMatch(Thread::isAlive), "the silent processes' reads still wait");
        containers.remove(id, 10);
        for (Thread t : polls) {
            t.join(10_000);
            assertFalse(t.isAlive(), "removal ends the long polls");
        }
    }

    @Test
    void finishedExecsLeaveNoDescriptorsBehind() throws Exception {
        String id = create("sleep", "1000");
        containers.start(id);
        Runnable probe = () -> {
            String exec = "probe-" + UUID.randomUUID().toString().substring(0, 8);
            containers.exec(ExecProcessRequest.newBuilder().setContainerId(id).setExecId(exec)
                    .setProcess(BusyboxBundle.process("sh", "-c", "echo ok; echo err >&2")).build());
            ContainerProcess p = containers.process(id, exec);
            assertEquals("ok\n", readAll(p, true));
            assertEquals("err\n", readAll(p, false));
            assertEquals(0, containers.waitProcess(id, exec));
            var late = assertThrows(AgentException.class, () -> p.write(new byte[] {1}));
            assertEquals("process " + exec + " has exited", late.getMessage());
        };
        probe.run(); // the first one starts the helper threads
        long before = openDescriptors();
        for (int i = 0; i < 20; i++) {
            probe.run(); // an exec liveness probe, as kubelet runs them
        }
        long grown = openDescriptors() - before;
        assertTrue(grown < 10, "20 finished execs left " + grown + " descriptors open");
    }

    private static long openDescriptors() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void runcFailuresAreReportedWithRuncsReasonAndLeaveNoState() {
        String id = prefix + "-bad";
        var e = assertThrows(AgentException.class, () -> containers.create(CreateContainerRequest.newBuilder()
                .setContainerId(id).setOCI(BusyboxBundle.spec(rootfs, "", "/no/such/program")).build()));
        assertTrue(e.getMessage().startsWith("runc could not create process " + id + " of " + id + " (exit 1): "),
                e.getMessage());
        assertTrue(e.getMessage().contains("/no/such/program"), "runc's own reason is passed on: " + e.getMessage());
        assertFalse(containers.ids().contains(id));
        assertFalse(Files.exists(tmp.resolve("bundles").resolve(id)), "the bundle is gone");

        String ok = create("sleep", "1000");
        containers.start(ok);
        var badExec = assertThrows(AgentException.class, () -> containers.exec(ExecProcessRequest.newBuilder()
                .setContainerId(ok).setExecId("x").setProcess(BusyboxBundle.process("/no/such/tool")).build()));
        assertTrue(badExec.getMessage().contains("/no/such/tool"), badExec.getMessage());
        // the failed id is free again, and the container still serves
        containers.exec(ExecProcessRequest.newBuilder().setContainerId(ok).setExecId("x")
                .setProcess(BusyboxBundle.process("echo", "fine")).build());
        assertEquals("fine\n", readAll(containers.process(ok, "x"), true));
        assertEquals(0, containers.waitProcess(ok, "x"));
    }

    @Test
    void terminalProcessesGetAPtyThatResizes() throws Exception {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        var spec = BusyboxBundle.spec(rootfs, "/kcc-test/" + id, "sh", "-c",
                "[ -t 0 ] && [ -t 1 ] && echo tty-ok; stty size; read line; echo got:$line; exit 4");
        spec = spec.toBuilder().setProcess(spec.getProcess().toBuilder().setTerminal(true)
                .setConsoleSize(io.katacc.agent.api.Box.newBuilder().setHeight(30).setWidth(90))).build();
        containers.create(CreateContainerRequest.newBuilder().setContainerId(id).setExecId(id).setOCI(spec).build());
        containers.start(id);
        ContainerProcess init = containers.process(id, "");
        assertTrue(init.hasTerminal());
        String early = readUntil(init, "30 90");
        assertTrue(early.contains("tty-ok"), "stdin and stdout are a terminal: " + early);
        init.write("hi\n".getBytes(StandardCharsets.UTF_8));
        String rest = readAll(init, true);
        assertTrue(rest.contains("got:hi"), "the terminal echoes and the shell reads: " + rest);
        assertEquals("", readAll(init, false), "a terminal has no separate stderr");
        assertEquals(4, containers.waitProcess(id, id));

        // exec with a terminal; TtyWinResize reaches the process as a new window size
        String sleeper = create("sleep", "1000");
        containers.start(sleeper);
        var proc = io.katacc.agent.api.Process.newBuilder().addArgs("sh").addArgs("-c").addArgs("read x; stty size")
                .addEnv("PATH=/bin").setCwd("/").setTerminal(true).build();
        containers.exec(ExecProcessRequest.newBuilder().setContainerId(sleeper).setExecId("t1").setProcess(proc).build());
        ContainerProcess t1 = containers.process(sleeper, "t1");
        t1.resize(41, 123);
        t1.write("\n".getBytes(StandardCharsets.UTF_8));
        String sized = readAll(t1, true);
        assertTrue(sized.contains("41 123"), "stty sees the resized terminal: [" + sized + "]");
        assertEquals(0, containers.waitProcess(sleeper, "t1"));
        AgentException noTty = assertThrows(AgentException.class, () -> containers.process(sleeper, "").resize(1, 1));
        assertTrue(noTty.getMessage().contains("has no terminal"), noTty.getMessage());
    }

    private static String readUntil(ContainerProcess p, String marker) {
        StringBuilder sb = new StringBuilder();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!sb.toString().contains(marker) && System.nanoTime() < deadline) {
            byte[] chunk = p.read(true, 4096);
            if (chunk.length == 0) {
                break;
            }
            sb.append(new String(chunk, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    @Test
    void execSignalStatsPauseUpdateRemove() throws Exception {
        String id = create("sleep", "1000");
        containers.start(id);
        containers.exec(ExecProcessRequest.newBuilder().setContainerId(id).setExecId("e1")
                .setProcess(BusyboxBundle.process("sh", "-c", "echo $(hostname) $(id -u)")).build());
        assertEquals("busybox 0\n", readAll(containers.process(id, "e1"), true));
        assertEquals(0, containers.waitProcess(id, "e1"));
        assertThrows(AgentException.class, () -> containers.process(id, "e1"), "a waited exec is forgotten");

        containers.exec(ExecProcessRequest.newBuilder().setContainerId(id).setExecId("e2")
                .setProcess(BusyboxBundle.process("sleep", "1000")).build());
        var dup = assertThrows(AgentException.class, () -> containers.exec(ExecProcessRequest.newBuilder()
                .setContainerId(id).setExecId("e2").setProcess(BusyboxBundle.process("true")).build()));
        assertEquals(AgentException.Kind.ALREADY_EXISTS, dup.kind());
        ContainerProcess e2 = containers.process(id, "e2");
        assertTrue(e2.signalsByPidfd() || !Files.exists(Path.of("/proc/self/fdinfo")), "this kernel has pidfds");
        containers.signal(id, "e2", 15);
        assertEquals(128 + 15, containers.waitProcess(id, "e2"));
        assertFalse(e2.signalsByPidfd(), "the pidfd goes with the reaped process");
        var gone = assertThrows(AgentException.class, () -> e2.signal(15));
        assertEquals(AgentException.Kind.NOT_FOUND, gone.kind());

        StatsContainerResponse stats = containers.stats(id);
        assertTrue(stats.getCgroupStats().getPidsStats().getCurrent() >= 1, stats.toString());
        assertTrue(stats.getCgroupStats().getCpuStats().getCpuUsage().getTotalUsage() > 0, stats.toString());

        containers.update(id, LinuxResources.newBuilder().setPids(LinuxPids.newBuilder().setLimit(42)).build());
        assertEquals(42, containers.stats(id).getCgroupStats().getPidsStats().getLimit());

        containers.pause(id);
        assertTrue(containers.runcState(id).contains("\"paused\""));
        containers.resume(id);
        assertTrue(containers.runcState(id).contains("\"running\""));

        containers.signal(id, "", 9);
        assertEquals(128 + 9, containers.waitProcess(id, ""));
        containers.remove(id, 10);
        assertFalse(containers.ids().contains(id));
    }

    @Test
    void badRequestsAreClearAndChangeNothing() {
        String id = create("true");
        var dup = assertThrows(AgentException.class, () -> containers.create(CreateContainerRequest.newBuilder()
                .setContainerId(id).setOCI(BusyboxBundle.spec(rootfs, "", "true")).build()));
        assertEquals(AgentException.Kind.ALREADY_EXISTS, dup.kind());
        var unknown = assertThrows(AgentException.class, () -> containers.start("nope"));
        assertEquals(AgentException.Kind.NOT_FOUND, unknown.kind());
        assertEquals("container nope not found", unknown.getMessage());
        var noArgs = assertThrows(AgentException.class, () -> containers.create(CreateContainerRequest.newBuilder()
                .setContainerId("x1").setOCI(BusyboxBundle.spec(rootfs, "").toBuilder()
                        .setProcess(BusyboxBundle.process())).build()));
        assertEquals("OCI spec Process.Args is empty", noArgs.getMessage());
        var badRoot = assertThrows(AgentException.class, () -> containers.create(CreateContainerRequest.newBuilder()
                .setContainerId("x2").setOCI(BusyboxBundle.spec(Path.of("/nonexistent/rootfs"), "", "true")).build()));
        assertEquals(AgentException.Kind.INVALID_ARGUMENT, badRoot.kind());
        var badId = assertThrows(AgentException.class, () -> containers.create(CreateContainerRequest.newBuilder()
                .setContainerId("../etc").setOCI(BusyboxBundle.spec(rootfs, "", "true")).build()));
        assertEquals(AgentException.Kind.INVALID_ARGUMENT, badId.kind());
        assertEquals(1, containers.ids().size());
        containers.start(id);
        assertEquals(0, containers.waitProcess(id, ""));
    }
}
