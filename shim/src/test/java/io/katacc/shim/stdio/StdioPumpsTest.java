package io.katacc.shim.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.katacc.agent.api.ReadStreamRequest;
import io.katacc.agent.api.ReadStreamResponse;
import io.katacc.shim.agent.AgentClient;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.server.TtrpcServer;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.transport.Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** containerd's stdout FIFO, with a reader that opens it only after the process has exited (ctr under load). */
class StdioPumpsTest {
    interface LibC extends com.sun.jna.Library {
        long read(int fd, byte[] buf, long n);
    }

    private static final LibC C = com.sun.jna.Native.load("c", LibC.class);

    @TempDir
    Path tmp;

    @Test
    void outputWaitsInTheFifoForALateReaderAndTheExitDoesNotWaitForIt() throws Exception {
        Path fifo = tmp.resolve("stdout");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        AtomicBoolean sent = new AtomicBoolean();
        ServiceRegistry agentApi = new ServiceRegistry().unary("grpc.AgentService", "ReadStdout", ReadStreamRequest.parser(),
                (q, c) -> {
                    if (!sent.getAndSet(true)) {
                        return ReadStreamResponse.newBuilder().setData(ByteString.copyFromUtf8("hello from the guest\n")).build();
                    }
                    throw new TtrpcException(Code.UNKNOWN, "EOF");
                });
        Address address = Address.parse("unix://" + tmp.resolve("agent.sock"));
        try (TtrpcServer server = TtrpcServer.start(address, agentApi);
             AgentClient agent = new AgentClient(TtrpcClient.connect(address), Duration.ofSeconds(10))) {
            long t0 = System.nanoTime();
            StdioPumps pumps = StdioPumps.start(agent, "c1", "", "", fifo.toString(), "");
            pumps.awaitOutput();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 5000, "output drained without a reader in " + ms + " ms");
            Thread.sleep(1000); // the reader comes late, and opens as containerd's cio does (O_RDONLY|O_NONBLOCK)
            int fd = Fifos.openReadNonBlocking(fifo);
            assertTrue(fd >= 0);
            try {
                byte[] buf = new byte[256];
                long n = C.read(fd, buf, buf.length);
                assertEquals("hello from the guest\n", new String(buf, 0, (int) Math.max(n, 0), StandardCharsets.UTF_8),
                        "the output waited in the FIFO");
                assertEquals(0, C.read(fd, buf, buf.length), "then end-of-file: no writer is left");
            } finally {
                Fifos.close(fd);
            }
        }
    }
}
