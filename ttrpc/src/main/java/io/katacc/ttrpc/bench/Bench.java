package io.katacc.ttrpc.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import io.katacc.ttrpc.client.CallOptions;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.server.TtrpcServer;
import io.katacc.ttrpc.transport.UnixAddress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Unary 1 KiB echo calls over a unix socket, C concurrent callers on one connection: Java client + Java server
 * vs. Go client + Go server (containerd/ttrpc 1.1.1). Prints calls/s, p50, p99 and the Java/Go ratio.
 *
 * <pre>java io.katacc.ttrpc.bench.Bench --go-source DIR --out DIR [--calls N] [--concurrency C] [--size BYTES]
 *     [--warmup N]</pre>
 *
 * Both peers get the same warm-up (default 100 000 calls): the JVM's C2 compiler reaches the hot path after
 * tens of thousands of calls, and a shim or agent serves for hours; with 30 000 the Java figure is ~15% lower.
 */
public final class Bench {
    record Result(String name, int calls, double callsPerSecond, double p50Micros, double p99Micros) {
        String row() {
            return String.format("%-10s %9d %12.0f %10.1f %10.1f", name, calls, callsPerSecond, p50Micros, p99Micros);
        }
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Args.parse(args);
        int calls = Integer.parseInt(opts.getOrDefault("calls", "100000"));
        int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "16"));
        int size = Integer.parseInt(opts.getOrDefault("size", "1024"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "100000"));
        Path out = Path.of(opts.getOrDefault("out", "target/go"));
        GoPeer go = GoPeer.build(Path.of(opts.getOrDefault("go-source", "src/test/go/ttrpc-peer")), out);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "kcc-bench");

        System.out.printf("unary echo, %d B payload, %d concurrent callers on one unix-socket connection, %d calls%n",
                size, concurrency, calls);
        Result javaResult = java(dir.resolve("java.sock"), calls, warmup, concurrency, size);
        if (opts.getOrDefault("only", "").equals("java")) {
            System.out.println(javaResult.row());
            return;
        }
        Result goResult = go(go, dir.resolve("go.sock"), calls, warmup, concurrency, size);
        System.out.printf("%-10s %9s %12s %10s %10s%n", "peers", "calls", "calls/s", "p50 us", "p99 us");
        System.out.println(javaResult.row());
        System.out.println(goResult.row());
        System.out.printf("ratio Java/Go: throughput %.2fx, p99 %.2fx (lower is better)%n",
                javaResult.callsPerSecond() / goResult.callsPerSecond(), javaResult.p99Micros() / goResult.p99Micros());
    }

    static Result java(Path socket, int calls, int warmup, int concurrency, int size) throws Exception {
        UnixAddress address = new UnixAddress(socket.toString());
        try (TtrpcServer server = TtrpcServer.start(address, EchoService.register(new ServiceRegistry()));
             TtrpcClient client = TtrpcClient.connect(address)) {
            BytesValue payload = BytesValue.of(ByteString.copyFrom(new byte[size]));
            run(client, payload, warmup, concurrency, null);
            int total = calls / concurrency * concurrency;
            long[] latencies = new long[total];
            long elapsed = run(client, payload, total, concurrency, latencies);
            Arrays.sort(latencies);
            return new Result("Java-Java", total, total / (elapsed / 1e9),
                    latencies[total * 50 / 100] / 1e3, latencies[total * 99 / 100] / 1e3);
        }
    }

    private static long run(TtrpcClient client, BytesValue payload, int total, int concurrency, long[] latencies)
            throws InterruptedException {
        int per = total / concurrency;
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            int base = t * per;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < per; i++) {
                    long t0 = System.nanoTime();
                    // no deadline, like the Go bench (context.Background())
                    client.call(EchoService.NAME, "Echo", payload, BytesValue.parser(), CallOptions.DEFAULT);
                    if (latencies != null) {
                        latencies[base + i] = System.nanoTime() - t0;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return System.nanoTime() - start;
    }

    private static final Pattern GO_LINE = Pattern.compile(
            "calls=(\\d+) calls_per_s=([\\d.]+) p50_us=([\\d.]+) p99_us=([\\d.]+)");

    static Result go(GoPeer go, Path socket, int calls, int warmup, int concurrency, int size) throws Exception {
        Process server = go.serve(socket);
        try {
            List<String> lines = go.run("bench", socket, "-n", String.valueOf(calls), "-c", String.valueOf(concurrency),
                    "-size", String.valueOf(size), "-warmup", String.valueOf(warmup));
            for (String line : lines) {
                Matcher m = GO_LINE.matcher(line);
                if (m.matches()) {
                    return new Result("Go-Go", Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)),
                            Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)));
                }
            }
            throw new IllegalStateException("unexpected Go bench output: " + lines);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
