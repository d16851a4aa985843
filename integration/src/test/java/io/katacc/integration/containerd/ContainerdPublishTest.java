package io.katacc.integration.containerd;

import com.google.protobuf.Timestamp;
import io.katacc.shim.api.events.TaskExit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.katacc.shim.cli.ShimMain;
import io.katacc.shim.cli.ShimSocket;
import io.katacc.shim.events.PublishBinaryPublisher;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The real peer: a private containerd (Debian package) decodes what our publisher sends through its publish binary. */
@Timeout(120)
class ContainerdPublishTest {
    private static final Path CONTAINERD = PrivateContainerd.CONTAINERD;
    private static final Path CTR = PrivateContainerd.CTR;

    @Test
    void containerdDecodesOurExitEvent(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PrivateContainerd.unavailableReason().isEmpty(),
                () -> PrivateContainerd.unavailableReason().orElse(""));
        Process events = null;
        try (PrivateContainerd containerd = PrivateContainerd.start(dir, Map.of())) {
            Path sock = containerd.socket();
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
        }
    }
}
