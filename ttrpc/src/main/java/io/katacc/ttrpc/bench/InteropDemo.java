package io.katacc.ttrpc.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import io.katacc.ttrpc.client.CallOptions;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.metadata.Metadata;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.server.TtrpcServer;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.transport.UnixAddress;
import io.katacc.ttrpc.wire.Frame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.katacc.ttrpc.bench.EchoService.bytes;
import static io.katacc.ttrpc.bench.EchoService.text;

/**
 * The ttrpc interop demo: our Java server called by containerd/ttrpc's Go client, then our Java client calling the
 * Go server. Prints every call and its outcome; exits 1 if any outcome differs from the expected one.
 */
public final class InteropDemo {
    private static int failures;

    private InteropDemo() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Args.parse(args);
        GoPeer go = GoPeer.build(Path.of(opts.getOrDefault("go-source", "src/test/go/ttrpc-peer")),
                Path.of(opts.getOrDefault("out", "target/go")));
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "kcc-demo");
        System.out.println("Go peer built from Debian's containerd/ttrpc: " + go.binary());

        Path javaSocket = dir.resolve("java.sock");
        System.out.println("\n== Go client -> Java server (unix://" + javaSocket + ")");
        try (TtrpcServer server = TtrpcServer.start(new UnixAddress(javaSocket.toString()),
                EchoService.register(new ServiceRegistry()))) {
            goCall(go, javaSocket, "code=0 len=10 value=hello java", "-value", "hello java");
            goCall(go, javaSocket, "code=5 msg=container abc not found", "-method", "Fail", "-value",
                    "5:container abc not found");
            goCall(go, javaSocket, "code=12 msg=unknown service grpc.Nope", "-service", "grpc.Nope", "-method", "X");
            goCall(go, javaSocket, "code=4 msg=deadline exceeded for kcc.test.Echo/Sleep", "-method", "Sleep",
                    "-value", "5s", "-server-timeout", "300ms");
            goCall(go, javaSocket, "code=0 len=24 value=tenant=a,b;deadline=true", "-method", "Meta",
                    "-md", "tenant=a", "-md", "tenant=b", "-timeout", "5s");
            goCall(go, javaSocket, "code=8 msg=message length", "-size", String.valueOf(Frame.MAX_PAYLOAD + 1));
            goCall(go, javaSocket, "concurrent ok=100 failed=0", "-concurrency", "100", "-timeout", "30s");
        }

        Path goSocket = dir.resolve("go.sock");
        System.out.println("\n== Java client -> Go server (unix://" + goSocket + ")");
        Process server = go.serve(goSocket);
        try (TtrpcClient client = TtrpcClient.connect(new UnixAddress(goSocket.toString()))) {
            String svc = EchoService.NAME;
            Duration t = Duration.ofSeconds(10);
            javaCall("Echo(\"hello go\")", "hello go",
                    () -> text(client.call(svc, "Echo", bytes("hello go"), BytesValue.parser(), t)));
            javaCall("Fail(\"6:sandbox exists\")", "ALREADY_EXISTS: sandbox exists",
                    () -> text(client.call(svc, "Fail", bytes("6:sandbox exists"), BytesValue.parser(), t)));
            javaCall("Nope()", "UNIMPLEMENTED: method Nope",
                    () -> text(client.call(svc, "Nope", bytes(""), BytesValue.parser(), t)));
            javaCall("Sleep(\"5s\") with a 300 ms deadline", "DEADLINE_EXCEEDED",
                    () -> text(client.call(svc, "Sleep", bytes("5s"), BytesValue.parser(), Duration.ofMillis(300))));
            javaCall("Meta() with tenant=a,b", "tenant=a,b;deadline=true", () -> text(client.call(svc, "Meta",
                    bytes(""), BytesValue.parser(), CallOptions.timeout(t).withMetadata(Metadata.of("tenant", "a")
                            .with("tenant", "b")))));
            int near = Frame.MAX_PAYLOAD - 64;
            javaCall("Echo(" + near + " bytes)", String.valueOf(near), () -> String.valueOf(client.call(svc, "Echo",
                    BytesValue.of(ByteString.copyFrom(new byte[near])), BytesValue.parser(), t).getValue().size()));
            javaCall("Size(\"5000000\") (oversized response)", "RESOURCE_EXHAUSTED",
                    () -> text(client.call(svc, "Size", bytes("5000000"), BytesValue.parser(), t)));
            javaCall("100 concurrent Echo calls", "100 ok", () -> {
                List<CompletableFuture<BytesValue>> calls = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    calls.add(client.callAsync(svc, "Echo", bytes("c" + i), BytesValue.parser(), CallOptions.timeout(t)));
                }
                int ok = 0;
                for (int i = 0; i < 100; i++) {
                    ok += text(calls.get(i).join()).equals("c" + i) ? 1 : 0;
                }
                return ok + " ok";
            });
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        System.out.println(failures == 0 ? "\nall interop calls behaved as expected"
                : "\n" + failures + " interop call(s) did not behave as expected");
        System.exit(failures == 0 ? 0 : 1);
    }

    private static void goCall(GoPeer go, Path socket, String expectedPrefix, String... args) throws Exception {
        List<String> out = go.run("call", socket, args);
        String first = out.isEmpty() ? "(no output)" : out.getFirst();
        report("ttrpc-peer call " + String.join(" ", args).replaceAll("-size \\d+", "-size <4 MiB + 1>"),
                first, first.startsWith(expectedPrefix));
    }

    private static void javaCall(String what, String expectedPrefix, Supplier<String> call) {
        String outcome;
        try {
            outcome = call.get();
        } catch (TtrpcException e) {
            outcome = e.getMessage();
        }
        report("TtrpcClient " + what, outcome, outcome.startsWith(expectedPrefix));
    }

    private static void report(String call, String outcome, boolean ok) {
        if (!ok) {
            failures++;
        }
        System.out.printf("  %s %-60s -> %s%n", ok ? "ok  " : "FAIL", call, outcome);
    }
}
