package io.katacc.agent.container;

import io.katacc.agent.error.AgentException;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs blocking reads and writes of container stdio on platform threads. The JDK does not compensate a
 * virtual thread blocked reading a plain pipe descriptor (only its own Process pipes go through the poller),
 * so two long-poll ReadStdout calls would pin both carriers of a 2-vCPU guest and starve every other
 * request. The calling virtual thread parks on the result instead. Threads are made on demand and reused.
 */
final class BlockingIo implements AutoCloseable {

    @FunctionalInterface
    interface IoCall<T> {
        T run() throws IOException;
    }

    private final ExecutorService threads = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("stdio-io-", 0).factory());

    <T> T call(IoCall<T> io) throws IOException {
        Future<T> f = threads.submit(io::run);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new AgentException(AgentException.Kind.INTERNAL, "interrupted during stdio");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io2) {
                throw io2;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AgentException(AgentException.Kind.INTERNAL, "stdio failed: " + e.getCause());
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
