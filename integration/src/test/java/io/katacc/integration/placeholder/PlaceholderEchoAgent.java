package io.katacc.integration.placeholder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * PLACEHOLDER for the real guest agent, used only by the guest-image boot test until the guest-agent
 * module ships a runnable jar. It runs as the image's agent (java -jar), opens the virtio-serial channel
 * named in KCC_AGENT_CHANNEL and answers line by line; it speaks no ttrpc. Requests:
 * {@code modules} (loaded kernel modules), {@code mounts} (mount point and type pairs), {@code pivot}
 * (whether pivot_root works in a new mount namespace, as runc needs), {@code second-open} (what a second
 * open of the already open port gives: transports must open it once, read-write), {@code exit N}
 * (exit with status N, to prove init powers the VM off), anything else {@code L} gets {@code echo L}.
 */
public final class PlaceholderEchoAgent {
    /** Printed on the console once the channel is open; the boot test measures time to this line. */
    public static final String READY = "kcc-placeholder-agent: ready";

    private PlaceholderEchoAgent() {}

    public static void main(String[] args) throws Exception {
        String channel = System.getenv().getOrDefault("KCC_AGENT_CHANNEL", "");
        if (!channel.startsWith("serial://")) {
            throw new UnsupportedOperationException(
                    "placeholder agent speaks only over virtio-serial, got KCC_AGENT_CHANNEL=" + channel);
        }
        Path port = Path.of(channel.substring("serial://".length()));
        // A virtio-serial port admits one opener: read and write through the same descriptor.
        try (FileChannel ch = FileChannel.open(port, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            System.out.println(READY + " channel=" + port + " uptime=" + uptime());
            serve(ch, port);
        }
    }

    private static void serve(FileChannel ch, Path port) throws IOException, InterruptedException {
        ByteBuffer in = ByteBuffer.allocate(4096);
        StringBuilder line = new StringBuilder();
        while (true) {
            in.clear();
            int n = ch.read(in);
            if (n <= 0) {
                // The port reads EOF while no host end is connected; wait for one.
                Thread.sleep(20);
                continue;
            }
            in.flip();
            for (int i = 0; i < n; i++) {
                char c = (char) (in.get() & 0xff);
                if (c == '\n') {
                    String request = line.toString();
                    if (request.startsWith("exit ")) {
                        System.exit(Integer.parseInt(request.substring(5).trim()));
                    }
                    String reply = request.equals("second-open") ? "second-open " + secondOpen(port) : answer(request);
                    ch.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
                    line.setLength(0);
                } else {
                    line.append(c);
                }
            }
        }
    }

    private static String answer(String request) throws IOException {
        return switch (request) {
            case "modules" -> "modules " + String.join(" ",
                    Files.readAllLines(Path.of("/proc/modules")).stream().map(l -> l.split(" ")[0]).toList());
            case "mounts" -> "mounts " + String.join(" ",
                    Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> {
                        String[] f = l.split(" ");
                        return f[1] + "=" + f[2];
                    }).toList());
            case "pivot" -> "pivot " + pivotRootCheck();
            default -> "echo " + request;
        };
    }

    private static String secondOpen(Path port) {
        try (FileChannel again = FileChannel.open(port, StandardOpenOption.WRITE)) {
            return "ok";
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        }
    }

    private static String pivotRootCheck() throws IOException {
        String script = "mkdir -p /tmp/pv && mount -t tmpfs pv /tmp/pv && mkdir /tmp/pv/old && cd /tmp/pv"
                + " && mount --make-rprivate / && pivot_root . old && echo ok";
        Process p = new ProcessBuilder("unshare", "-m", "sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.replace('\n', ' ');
    }

    private static String uptime() {
        try {
            return Files.readString(Path.of("/proc/uptime")).split(" ")[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
