package io.katacc.shim.cli;

import com.google.protobuf.Empty;
import io.katacc.shim.api.task.ConnectRequest;
import io.katacc.shim.api.task.ConnectResponse;
import io.katacc.shim.api.task.ShutdownRequest;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.transport.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** start launches the real shim server (this code, a new JVM), which serves the Task API until Shutdown. */
@Timeout(180)
class ShimServeTest {
    @Test
    void startedServerAnswersConnectAndExitsOnShutdown(@TempDir Path dir) throws Exception {
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.writeString(bundle.resolve("config.json"), "{\"ociVersion\":\"1.1.0\",\"annotations\":{}}");
        Path conf = Files.writeString(dir.resolve("configuration.toml"), """
                [hypervisor.qemu]
                path = "/usr/bin/qemu-system-x86_64"
                kernel = "/boot/vmlinuz"
                initrd = "/boot/initrd.img"
                [runtime]
                state_dir = "%s"
                """.formatted(dir.resolve("state")));
        var start = new StartCommand(dir.resolve("s"), ShimMain.selfLauncher(), Duration.ofSeconds(90),
                Map.of("KATA_CC_CONF_FILE", conf.toString()));
        ShimFlags flags = new ShimFlags("ns1", dir.resolve("containerd.sock").toString(), "/bin/true", "c1",
                Optional.empty(), false, false, Optional.empty(), List.of("start"));
        String address = start.run(flags, bundle);
        ProcessHandle server = ProcessHandle.of(Long.parseLong(Files.readString(bundle.resolve("shim.pid")))).orElseThrow();
        try (TtrpcClient containerd = TtrpcClient.connect(Address.parse(address))) {
            ConnectResponse c = containerd.call("containerd.task.v2.Task", "Connect", ConnectRequest.newBuilder().setId("c1").build(),
                    ConnectResponse.parser(), Duration.ofSeconds(30));
            assertEquals(server.pid(), c.getShimPid());
            assertEquals(0, c.getTaskPid(), "no VM before the first Create");
            TtrpcException e = assertThrows(TtrpcException.class, () -> containerd.call("containerd.task.v2.Task", "Start",
                    io.katacc.shim.api.task.StartRequest.newBuilder().setId("nope").build(),
                    io.katacc.shim.api.task.StartResponse.parser(), Duration.ofSeconds(30)));
            assertEquals(Code.NOT_FOUND, e.code());
            containerd.call("containerd.task.v2.Task", "Shutdown", ShutdownRequest.newBuilder().setId("c1").build(),
                    Empty.parser(), Duration.ofSeconds(30));
        } finally {
            server.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertFalse(server.isAlive(), "shim exits after Shutdown");
        assertFalse(Files.exists(ShimSocket.parse(address).path()), "socket removed");
    }
}
