package io.katacc.shim.events;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import io.katacc.shim.api.events.TaskExit;
import io.katacc.shim.api.events.TaskStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class PublishBinaryPublisherTest {
    @Test
    void runsThePublishBinaryLikeContainerdExpectsInOrder(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("containerd");
        // records argv (one line per call) and stdin (one file per call)
        Files.writeString(fake, """
                #!/bin/sh
                n=$(ls %1$s/calls/*.args 2>/dev/null | wc -l)
                mkdir -p %1$s/calls
                echo "$@" > %1$s/calls/$n.args
                cat > %1$s/calls/$n.stdin
                """.formatted(dir));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));

        TaskStart start = TaskStart.newBuilder().setContainerId("c1").setPid(42).build();
        TaskExit exit = TaskExit.newBuilder().setContainerId("c1").setId("c1").setPid(42).setExitStatus(3)
                .setExitedAt(Timestamp.newBuilder().setSeconds(1700000000)).build();
        try (var p = new PublishBinaryPublisher(fake, "/run/containerd/containerd.sock", "k8s.io", Duration.ofSeconds(30))) {
            p.publish(start);
            p.publish(exit);
        }
        assertEquals("--address /run/containerd/containerd.sock publish --topic /tasks/start --namespace k8s.io",
                Files.readString(dir.resolve("calls/0.args")).strip());
        assertEquals("--address /run/containerd/containerd.sock publish --topic /tasks/exit --namespace k8s.io",
                Files.readString(dir.resolve("calls/1.args")).strip());
        Any a0 = Any.parseFrom(Files.readAllBytes(dir.resolve("calls/0.stdin")));
        assertEquals("containerd.events.TaskStart", a0.getTypeUrl());
        assertEquals(start, TaskStart.parseFrom(a0.getValue()));
        Any a1 = Any.parseFrom(Files.readAllBytes(dir.resolve("calls/1.stdin")));
        assertEquals("containerd.events.TaskExit", a1.getTypeUrl());
        assertEquals(exit, TaskExit.parseFrom(a1.getValue()));
    }

    @Test
    void unknownEventsAreRejectedAtTheCallSite(@TempDir Path dir) {
        try (var p = new PublishBinaryPublisher(dir.resolve("none"), "a", "n", Duration.ofSeconds(1))) {
            var e = assertThrows(IllegalArgumentException.class, () -> p.publish(Timestamp.getDefaultInstance()));
            assertEquals("no containerd topic for google.protobuf.Timestamp", e.getMessage());
            assertEquals(List.of(dir.resolve("none").toString(), "--address", "a", "publish", "--topic", "/tasks/oom",
                    "--namespace", "n"), p.command("/tasks/oom"));
        }
    }
}
