package io.katacc.shim.cli;

import io.katacc.shim.config.ConfigLocator;
import io.katacc.shim.config.RuntimeConfig;
import io.katacc.shim.config.RuntimeConfigParser;
import io.katacc.shim.events.PublishBinaryPublisher;
import io.katacc.shim.hypervisor.ProcessLauncher;
import io.katacc.shim.sandbox.VmSandbox;
import io.katacc.shim.task.TaskService;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.server.TtrpcServer;
import io.katacc.ttrpc.transport.Address;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The daemonized shim: serves the Task API on the socket {@code start} chose until Shutdown. */
final class ShimServer {
    private ShimServer() {
    }

    static void serve(ShimFlags flags, Path bundle, Map<String, String> env) throws IOException, InterruptedException {
        String socket = flags.socket().orElseThrow(() -> new IllegalArgumentException("serving needs -socket unix://<path>"));
        BundleSpec spec = BundleSpec.read(bundle);
        RuntimeConfig config = new RuntimeConfigParser().parse(ConfigLocator.forEnv(env).locate(spec.annotations()));
        CountDownLatch done = new CountDownLatch(1);
        var publisher = new PublishBinaryPublisher(Path.of(flags.publishBinary()), flags.address(), flags.namespace(),
                Duration.ofSeconds(10));
        var tasks = new TaskService(VmSandbox.factory(config, flags.namespace(), new ProcessLauncher()), publisher,
                Clock.systemUTC(), done::countDown);
        Path socketPath = ShimSocket.parse(socket).path();
        try (TtrpcServer server = TtrpcServer.start(Address.parse(socket), tasks.register(new ServiceRegistry()))) {
            done.await();
            server.shutdown(Duration.ofSeconds(2));
        } finally {
            Files.deleteIfExists(socketPath);
        }
    }
}
