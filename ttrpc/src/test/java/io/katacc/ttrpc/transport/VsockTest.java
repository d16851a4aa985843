package io.katacc.ttrpc.transport;

import com.google.protobuf.BytesValue;
import io.katacc.ttrpc.bench.EchoService;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.server.TtrpcServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static io.katacc.ttrpc.bench.EchoService.bytes;
import static io.katacc.ttrpc.bench.EchoService.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** AF_VSOCK over the local loopback CID (1), where the kernel has vsock_loopback. */
class VsockTest {
    @Test
    void unaryOverVsockLoopback() throws Exception {
        int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
        TtrpcServer server;
        TtrpcClient client;
        try {
            // listen on VMADDR_CID_ANY, connect to VMADDR_CID_LOCAL
            server = TtrpcServer.start(new VsockAddress(-1, port), EchoService.register(new ServiceRegistry()));
        } catch (IOException e) {
            Assumptions.abort("no AF_VSOCK in this kernel/container: " + e.getMessage());
            return;
        }
        try {
            client = TtrpcClient.connect(new VsockAddress(1, port));
        } catch (IOException e) {
            server.close();
            Assumptions.abort("no AF_VSOCK loopback (vsock_loopback) in this kernel: " + e.getMessage());
            return;
        }
        try (server; client) {
            assertEquals("vsock", text(client.call(EchoService.NAME, "Echo", bytes("vsock"), BytesValue.parser(),
                    Duration.ofSeconds(10))));
        }
    }
}
