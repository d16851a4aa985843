package io.katacc.integration.demo;

import io.katacc.integration.image.BusyboxImage;
import io.katacc.integration.pod.KataCcNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The README's demo: {@code ctr run --runtime io.containerd.kata-cc.v2 kcc-busybox ID echo hello} through a
 * private containerd, our shim, a QEMU VM and the guest agent; prints the container's output and exits with
 * its exit code. {@code -- CMD ARGS...} runs another command. Everything it starts and writes is removed at
 * the end, also on Ctrl-C.
 */
public final class PodDemo {
    private static final Pattern SANDBOX_UP = Pattern.compile(
            "sandbox \\S+ up in (\\d+) ms: vmm-start (\\d+) ms, guest-boot-to-agent-answer (\\d+) ms, set-policy\\+create-sandbox (\\d+) ms");
    private static final Pattern LAYERS = Pattern.compile("container \\S+: (\\d+) layer storages ready in (\\d+) ms");
    private static final Pattern GUEST = Pattern.compile("sandbox \\S+ (guest: [^\"]*)");
    private static final Pattern CREATE = Pattern.compile("CreateContainer in the guest took (\\d+) ms");
    private static final Pattern START = Pattern.compile("StartContainer took (\\d+) ms");

    private PodDemo() {
    }

    public static void main(String[] args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("echo", "hello"));
        int dash = List.of(args).indexOf("--");
        if (dash >= 0) {
            cmd = List.of(args).subList(dash + 1, args.length);
            if (cmd.isEmpty()) {
                System.err.println("demo: nothing after --; usage: bin/demo [-- CMD ARGS...]");
                System.exit(2);
            }
        } else if (args.length > 0) {
            System.err.println("demo: usage: bin/demo [-- CMD ARGS...]");
            System.exit(2);
        }
        Path repo = Path.of(System.getProperty("kcc.repo.dir", ".")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("kcc-demo-");
        Cleanup cleanup = new Cleanup(work);
        Runtime.getRuntime().addShutdownHook(new Thread(cleanup::run, "demo-cleanup"));
        int exit;
        try {
            KataCcNode node = KataCcNode.start(repo, work, 2, 1024, s -> System.err.println("demo: " + s));
            cleanup.node = node;
            String id = "demo-" + ProcessHandle.current().pid();
            System.err.println("demo: ctr run --rm --runtime " + KataCcNode.RUNTIME + " " + BusyboxImage.NAME + " " + id
                    + " " + String.join(" ", cmd));
            long start = System.nanoTime();
            Process ctr = node.run(id, List.of("--rm"), cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            cleanup.ctr = ctr;
            ctr.getOutputStream().close();
            AtomicLong firstOutput = new AtomicLong();
            copy(ctr.getInputStream(), start, firstOutput);
            exit = ctr.waitFor();
            long total = (System.nanoTime() - start) / 1_000_000;
            System.err.println("demo: container exited with " + exit);
            System.err.println("demo: " + figures(node, firstOutput.get(), total));
        } catch (IOException | IllegalStateException e) {
            System.err.println("demo: " + e.getMessage());
            exit = 1;
        }
        System.exit(exit); // the shutdown hook cleans up
    }

    private static void copy(InputStream in, long start, AtomicLong firstOutputMs) throws IOException {
        byte[] buf = new byte[8192];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            if (n > 0 && firstOutputMs.get() == 0) {
                firstOutputMs.set((System.nanoTime() - start) / 1_000_000);
            }
            System.out.write(buf, 0, n);
            System.out.flush();
        }
    }

    /** ctr run → first output, split with the shim's own timing lines from containerd's log. */
    static String figures(KataCcNode node, long firstOutputMs, long totalMs) throws IOException {
        String log = node.containerd().log();
        StringBuilder sb = new StringBuilder("ctr run -> first output " + (firstOutputMs == 0 ? "(none)" : firstOutputMs + " ms")
                + ", -> exit " + totalMs + " ms");
        Matcher m = SANDBOX_UP.matcher(log);
        if (m.find()) {
            sb.append("; sandbox ").append(m.group(1)).append(" ms = VMM start ").append(m.group(2))
                    .append(" + guest boot to agent answer ").append(m.group(3))
                    .append(" + SetPolicy/CreateSandbox ").append(m.group(4)).append(" ms");
        }
        Matcher g = GUEST.matcher(log);
        if (g.find()) {
            sb.append(" (").append(g.group(1)).append(")");
        }
        Matcher l = LAYERS.matcher(log);
        if (l.find()) {
            sb.append("; ").append(l.group(1)).append(" layer disks ready in ").append(l.group(2)).append(" ms");
        }
        Matcher c = CREATE.matcher(log);
        Matcher st = START.matcher(log);
        if (c.find() && st.find()) {
            sb.append("; container: CreateContainer ").append(c.group(1)).append(" ms (dm-verity, mounts, bundle) + StartContainer ")
                    .append(st.group(1)).append(" ms (runc)");
        }
        return sb.toString();
    }

    /** Runs once, from the shutdown hook: containers, containerd, VMs, then the work directory. */
    private static final class Cleanup {
        private final Path work;
        volatile KataCcNode node;
        volatile Process ctr;

        Cleanup(Path work) {
            this.work = work;
        }

        void run() {
            try {
                if (ctr != null && ctr.isAlive()) {
                    ctr.destroyForcibly();
                }
                if (node != null) {
                    node.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                deleteTree(work);
            }
        }

        private static void deleteTree(Path dir) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        // a mount or a busy file: reported below
                    }
                }
            } catch (IOException e) {
                // already gone
            }
            if (Files.exists(dir)) {
                System.err.println("demo: could not remove all of " + dir);
            }
        }
    }
}
