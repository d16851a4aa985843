package io.katacc.shim.events;

import com.google.protobuf.Timestamp;
import io.katacc.shim.api.events.TaskExit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real peer: a private containerd (Debian package) decodes what our publisher sends through its publish binary. */
@Timeout(120)
class ContainerdPublishTest {
    private static final Path CONTAINERD = Path.of("/usr/bin/containerd");
    private static final Path CTR = Path.of("/usr/bin/ctr");

    @Test
    void containerdDecodesOurExitEvent(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(CONTAINERD) && Files.isExecutable(CTR), "containerd not installed (apt-get install containerd)");
        assumeTrue("root".equals(System.getProperty("user.name")), "a private containerd needs root");
        Path sock = dir.resolve("containerd.sock");
        Path config = Files.writeString(dir.resolve("config.toml"), """
                version = 2
                disabled_plugins = ["io.containerd.grpc.v1.cri"]
                [grpc]
                  address = "%s"
                [ttrpc]
                  address = "%s"
                """.formatted(sock, dir.resolve("containerd.sock.ttrpc")));
        Process containerd = new ProcessBuilder(CONTAINERD.toString(), "--config", config.toString(),
                "--root", dir.resolve("root").toString(), "--state", dir.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile()).start();
        Process events = null;
        try {
            waitForSocket(sock, containerd, dir);
            events = new ProcessBuilder(CTR.toString(), "--address", sock.toString(), "events")
                    .redirectErrorStream(true).start();
            var reader = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String l = reader.readLine(); l != null; l = reader.readLine()) {
                        if (l.contains("/tasks/exit")) {
                            return l;
                        }
                    }
                    return "";
                } catch (java.io.IOException e) {
                    return "";
                }
            });
            Thread.sleep(500); // let ctr subscribe before we publish
            TaskExit exit = TaskExit.newBuilder().setContainerId("c-42").setId("c-42").setPid(4242).setExitStatus(3)
                    .setExitedAt(Timestamp.newBuilder().setSeconds(1700000000)).build();
            try (var p = new PublishBinaryPublisher(CONTAINERD, sock.toString(), "kcc-test", Duration.ofSeconds(30))) {
                p.publish(exit);
            }
            String got = line.get(30, TimeUnit.SECONDS);
            assertTrue(got.contains("kcc-test"), got);
            // containerd could only print these fields if it resolved our type URL and decoded the payload
            assertTrue(got.contains("\"container_id\":\"c-42\""), got);
            assertTrue(got.contains("\"exit_status\":3"), got);
            assertTrue(got.contains("\"pid\":4242"), got);
        } finally {
            if (events != null) {
                events.destroyForcibly();
            }
            containerd.destroy();
            if (!containerd.waitFor(10, TimeUnit.SECONDS)) {
                containerd.destroyForcibly();
            }
        }
    }

    private static void waitForSocket(Path sock, Process containerd, Path dir) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (!containerd.isAlive()) {
                fail("containerd exited: " + Files.readString(dir.resolve("containerd.log")));
            }
            if (Files.exists(sock)) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(sock));
                    return;
                } catch (java.io.IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(100);
        }
        fail("containerd did not listen on " + sock);
    }
}
