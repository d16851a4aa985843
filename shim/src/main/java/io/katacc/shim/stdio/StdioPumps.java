package io.katacc.shim.stdio;

import io.katacc.shim.agent.AgentClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies one process's stdio between containerd's FIFOs (or files) and the agent's stream calls, one
 * thread per stream. {@link #awaitOutput()} returns once stdout and stderr are drained, so an exit
 * event is never published before the output it follows.
 *
 * <p>Platform threads, not virtual ones: opening a FIFO blocks in open(2) until the other end appears
 * (with {@code ctr run -d} a stdin FIFO never gets a writer), and a virtual thread blocked there holds its
 * carrier; two such opens stalled every other handler of the shim on a 2-core host.
 */
public final class StdioPumps {
    private static final Logger log = LoggerFactory.getLogger(StdioPumps.class);
    private static final int CHUNK = 32 * 1024;

    private final List<Thread> outputs = new ArrayList<>();
    private volatile Path stdinFifo;
    private volatile boolean stdinOpened;

    public static StdioPumps start(AgentClient agent, String id, String execId, String stdin, String stdout, String stderr) {
        StdioPumps p = new StdioPumps();
        if (!stdout.isEmpty()) {
            p.outputs.add(pump("stdout-" + id, () -> pumpOut(agent, false, id, execId, Path.of(stdout))));
        }
        if (!stderr.isEmpty()) {
            p.outputs.add(pump("stderr-" + id, () -> pumpOut(agent, true, id, execId, Path.of(stderr))));
        }
        if (!stdin.isEmpty()) {
            p.stdinFifo = Path.of(stdin);
            pump("stdin-" + id, () -> p.pumpIn(agent, id, execId, Path.of(stdin)));
        }
        return p;
    }

    private static Thread pump(String name, Runnable r) {
        return Thread.ofPlatform().daemon().name(name).start(r);
    }

    /**
     * The process is gone: a stdin pump still waiting for a writer is released by opening the FIFO's write
     * end once (it then reads EOF), so no thread waits for the rest of the shim's life.
     */
    public void close() {
        Path fifo = stdinFifo;
        if (fifo == null || stdinOpened) {
            return;
        }
        pump("stdin-release", () -> {
            try (OutputStream ignored = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
                // opening is the point
            } catch (IOException e) {
                log.debug("releasing stdin pump of {}: {}", fifo, e.getMessage());
            }
        });
    }

    public void awaitOutput() throws InterruptedException {
        for (Thread t : outputs) {
            t.join();
        }
    }

    private static void pumpOut(AgentClient agent, boolean stderr, String id, String execId, Path to) {
        OutputStream out = null;
        int holder = -1;
        boolean withheld = false;
        try {
            // A FIFO is opened write-only after taking a reader of our own (non-blocking, as containerd's runc shim
            // keeps one): open(2) then never waits for a client (ctr run -d has none), and a client that goes away
            // does not break the pipe. The client's EOF depends on writers only, so our reader does not delay it.
            boolean fifo = !Files.isRegularFile(to);
            if (fifo) {
                holder = Fifos.openReadNonBlocking(to); // our own reader: see closeOnceRead
            }
            out = fifo ? Files.newOutputStream(to, StandardOpenOption.WRITE)
                    : Files.newOutputStream(to, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            while (true) {
                byte[] data;
                try {
                    data = agent.read(stderr, id, execId, CHUNK);
                } catch (io.katacc.ttrpc.status.TtrpcException e) {
                    if (e.code() == io.katacc.ttrpc.status.Code.PERMISSION_DENIED) {
                        // the pod's policy hides this stream from the host; the agent drains it, we go on asking
                        if (!withheld) {
                            log.info("{} of {}/{} is withheld by the pod's policy: {}", stderr ? "stderr" : "stdout",
                                    id, execId, e.getMessage());
                            withheld = true;
                        }
                        continue;
                    }
                    break; // the agent ends a finished stream with an error (EOF)
                } catch (RuntimeException e) {
                    break;
                }
                if (data.length == 0) {
                    break;
                }
                out.write(data);
                out.flush();
            }
        } catch (IOException e) {
            log.warn("{} of {}/{} to {}: {}", stderr ? "stderr" : "stdout", id, execId, to, e.getMessage());
        } finally {
            closeOnceRead(out, holder);
        }
    }

    private static final long HOLD_MS = 60_000;

    /**
     * What sits in a FIFO is lost once no descriptor of it is open, and a reader sees end-of-file once no
     * writer is. So at the end of the output we close our writer (the reader gets EOF) but keep a read-only
     * descriptor for a while, as containerd's runc shim keeps its own reader: a client that opens its end late
     * (ctr under load) still finds all the output.
     */
    private static void closeOnceRead(OutputStream out, int holder) {
        if (out != null) {
            closeQuietly(out);
        }
        if (holder >= 0) {
            Thread.ofVirtual().name("fifo-hold").start(() -> {
                try {
                    Thread.sleep(HOLD_MS);
                } catch (InterruptedException ignored) {
                    // closing early
                }
                Fifos.close(holder);
            });
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing left to tell
        }
    }

    private void pumpIn(AgentClient agent, String id, String execId, Path from) {
        try (InputStream in = Files.newInputStream(from)) {
            stdinOpened = true;
            byte[] buf = new byte[CHUNK];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (n > 0) {
                    agent.writeStdin(id, execId, java.util.Arrays.copyOf(buf, n));
                }
            }
            agent.closeStdin(id, execId);
        } catch (IOException | RuntimeException e) {
            log.warn("stdin of {}/{} from {}: {}", id, execId, from, e.getMessage());
        }
    }
}
