package io.katacc.shim.hypervisor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * Starts VMM processes that die with the shim: each runs under {@code setpriv --pdeathsig SIGKILL}.
 * Linux delivers the parent-death signal when the <em>thread</em> that forked the child exits, so all
 * forks happen on one platform thread that lives as long as the shim (a virtual thread's carrier may
 * be retired at any time).
 */
public final class ProcessLauncher {
    private static final String SETPRIV = "/usr/bin/setpriv";

    private final LinkedBlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
    private final boolean pdeathsig;

    public ProcessLauncher() {
        this.pdeathsig = new java.io.File(SETPRIV).canExecute();
        Thread t = Thread.ofPlatform().name("vmm-launcher").daemon(true).unstarted(this::loop);
        t.start();
    }

    public boolean killsChildrenOnShimDeath() {
        return pdeathsig;
    }

    public Process start(ProcessBuilder pb) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (pdeathsig) {
            cmd.addAll(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
        }
        cmd.addAll(pb.command());
        ProcessBuilder wrapped = pb.command(cmd);
        CompletableFuture<Process> f = new CompletableFuture<>();
        work.add(() -> {
            try {
                f.complete(wrapped.start());
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return await(f, () -> "starting " + cmd);
    }

    private static Process await(CompletableFuture<Process> f, Supplier<String> what) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what.get(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(what.get() + " failed: " + e.getCause(), e.getCause());
        }
    }

    private void loop() {
        while (true) {
            try {
                work.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
