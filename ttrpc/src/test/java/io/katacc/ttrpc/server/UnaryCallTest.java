package io.katacc.ttrpc.server;

import com.google.protobuf.StringValue;
import io.katacc.ttrpc.TestPaths;
import io.katacc.ttrpc.client.CallOptions;
import io.katacc.ttrpc.client.TtrpcClient;
import io.katacc.ttrpc.metadata.Metadata;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.transport.UnixAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnaryCallTest {
    static final String SVC = "kcc.test.Echo";
    static final Duration T = Duration.ofSeconds(10);

    final CountDownLatch allIn = new CountDownLatch(100);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch slowStarted = new CountDownLatch(1);
    final AtomicBoolean slowInterrupted = new AtomicBoolean();
    final CountDownLatch slowEnded = new CountDownLatch(1);

    UnixAddress address;
    TtrpcServer server;
    TtrpcClient client;

    @BeforeEach
    void start() throws Exception {
        ServiceRegistry registry = new ServiceRegistry()
                .unary(SVC, "Echo", StringValue.parser(), (req, ctx) -> req)
                .unary(SVC, "Fail", StringValue.parser(), (req, ctx) -> {
                    throw new TtrpcException(Code.NOT_FOUND, "container " + req.getValue() + " not found");
                })
                .unary(SVC, "Crash", StringValue.parser(), (req, ctx) -> {
                    throw new IllegalStateException("boom");
                })
                .unary(SVC, "Meta", StringValue.parser(), (req, ctx) ->
                        StringValue.of(String.join(",", ctx.metadata().get(req.getValue()))
                                + "|" + ctx.remaining().isPresent()))
                .unary(SVC, "Slow", StringValue.parser(), (req, ctx) -> {
                    slowStarted.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        slowInterrupted.set(ctx.isCancelled());
                        throw e;
                    } finally {
                        slowEnded.countDown();
                    }
                    return req;
                })
                .unary(SVC, "Gather", StringValue.parser(), (req, ctx) -> {
                    allIn.countDown();
                    if (!allIn.await(20, TimeUnit.SECONDS)) {
                        throw new TtrpcException(Code.ABORTED, "calls were not concurrent");
                    }
                    return req;
                })
                .unary(SVC, "Block", StringValue.parser(), (req, ctx) -> {
                    slowStarted.countDown();
                    release.await();
                    return StringValue.of("finished " + req.getValue());
                });
        address = TestPaths.socket("t.sock");
        server = TtrpcServer.start(address, registry);
        client = TtrpcClient.connect(address);
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        server.shutdown(Duration.ofSeconds(1));
    }

    @Test
    void echoesTheRequest() {
        assertEquals("hello", client.call(SVC, "Echo", StringValue.of("hello"), StringValue.parser(), T).getValue());
        assertEquals("", client.call(SVC, "Echo", StringValue.getDefaultInstance(), StringValue.parser(), T).getValue());
    }

    @Test
    void handlerStatusReachesClient() {
        TtrpcException e = assertThrows(TtrpcException.class,
                () -> client.call(SVC, "Fail", StringValue.of("abc"), StringValue.parser(), T));
        assertEquals(Code.NOT_FOUND, e.code());
        assertEquals("container abc not found", e.description());
        TtrpcException crash = assertThrows(TtrpcException.class,
                () -> client.call(SVC, "Crash", StringValue.of("x"), StringValue.parser(), T));
        assertEquals(Code.UNKNOWN, crash.code());
        assertEquals("boom", crash.description());
        // the connection is still fine afterwards
        assertEquals("ok", client.call(SVC, "Echo", StringValue.of("ok"), StringValue.parser(), T).getValue());
    }

    @Test
    void unknownServiceAndMethodAreUnimplemented() {
        TtrpcException svc = assertThrows(TtrpcException.class,
                () -> client.call("grpc.Nope", "X", StringValue.of(""), StringValue.parser(), T));
        assertEquals(Code.UNIMPLEMENTED, svc.code());
        assertTrue(svc.description().contains("grpc.Nope"), svc.description());
        TtrpcException m = assertThrows(TtrpcException.class,
                () -> client.call(SVC, "Nope", StringValue.of(""), StringValue.parser(), T));
        assertEquals(Code.UNIMPLEMENTED, m.code());
        assertTrue(m.description().contains("Nope") && m.description().contains(SVC), m.description());
    }

    @Test
    void metadataAndDeadlineArriveAtHandler() {
        CallOptions opts = CallOptions.timeout(T).withMetadata(Metadata.of("k", "a").with("k", "b"));
        assertEquals("a,b|true", client.call(SVC, "Meta", StringValue.of("k"), StringValue.parser(), opts).getValue());
        assertEquals("|false", client.call(SVC, "Meta", StringValue.of("k"), StringValue.parser(),
                CallOptions.DEFAULT).getValue());
    }

    @Test
    void deadlineExceededCancelsTheHandler() throws Exception {
        TtrpcException e = assertThrows(TtrpcException.class,
                () -> client.call(SVC, "Slow", StringValue.of("x"), StringValue.parser(), Duration.ofMillis(300)));
        assertEquals(Code.DEADLINE_EXCEEDED, e.code());
        assertTrue(slowEnded.await(10, TimeUnit.SECONDS), "server handler was not interrupted at the deadline");
        assertTrue(slowInterrupted.get(), "handler saw isCancelled() == false");
    }

    @Test
    void hundredConcurrentCallsOnOneConnection() throws Exception {
        List<CompletableFuture<StringValue>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(client.callAsync(SVC, "Gather", StringValue.of("c" + i), StringValue.parser(),
                    CallOptions.timeout(Duration.ofSeconds(30))));
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("c" + i, calls.get(i).get(30, TimeUnit.SECONDS).getValue());
        }
    }

    @Test
    void blockingCallsFromManyThreads() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 16; t++) {
            int n = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 50; i++) {
                    String v = n + ":" + i;
                    String got = client.call(SVC, "Echo", StringValue.of(v), StringValue.parser(), T).getValue();
                    if (!got.equals(v)) {
                        errors.add(v + " != " + got);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void gracefulShutdownFinishesInFlightCalls() throws Exception {
        CompletableFuture<StringValue> inflight = client.callAsync(SVC, "Block", StringValue.of("1"),
                StringValue.parser(), CallOptions.timeout(T));
        assertTrue(slowStarted.await(10, TimeUnit.SECONDS));
        Thread shutdown = Thread.ofVirtual().start(() -> server.shutdown(Duration.ofSeconds(20)));
        // new calls are refused while draining
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        TtrpcException refused = null;
        while (refused == null && System.nanoTime() < until) {
            try {
                client.call(SVC, "Echo", StringValue.of("late"), StringValue.parser(), T);
                Thread.sleep(10);
            } catch (TtrpcException e) {
                refused = e;
            }
        }
        assertTrue(refused != null && refused.code() == Code.UNAVAILABLE, String.valueOf(refused));
        assertFalse(inflight.isDone());
        release.countDown();
        assertEquals("finished 1", inflight.get(10, TimeUnit.SECONDS).getValue());
        shutdown.join(Duration.ofSeconds(20));
        assertFalse(shutdown.isAlive(), "shutdown did not return after the last call finished");
        assertThrows(java.io.IOException.class, () -> TtrpcClient.connect(address), "server still accepts");
    }

    @Test
    void closedConnectionFailsCallsWithUnavailable() {
        client.close();
        TtrpcException e = assertThrows(TtrpcException.class,
                () -> client.call(SVC, "Echo", StringValue.of("x"), StringValue.parser(), T));
        assertEquals(Code.UNAVAILABLE, e.code());
    }
}
