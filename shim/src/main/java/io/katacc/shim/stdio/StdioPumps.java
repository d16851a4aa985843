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
 * virtual thread per stream. {@link #awaitOutput()} returns once stdout and stderr are drained, so an exit
 * event is never published before the output it follows.
 */
public final class StdioPumps {
    private static final Logger log = LoggerFactory.getLogger(StdioPumps.class);
    private static final int CHUNK = 32 * 1024;

    private final List<Thread> outputs = new ArrayList<>();

    public static StdioPumps start(AgentClient agent, String id, String execId, String stdin, String stdout, String stderr) {
        StdioPumps p = new StdioPumps();
        if (!stdout.isEmpty()) {
            p.outputs.add(Thread.ofVirtual().name("stdout-" + id).start(() -> pumpOut(agent, false, id, execId, Path.of(stdout))));
        }
        if (!stderr.isEmpty()) {
            p.outputs.add(Thread.ofVirtual().name("stderr-" + id).start(() -> pumpOut(agent, true, id, execId, Path.of(stderr))));
        }
        if (!stdin.isEmpty()) {
            Thread.ofVirtual().name("stdin-" + id).start(() -> pumpIn(agent, id, execId, Path.of(stdin)));
        }
        return p;
    }

    public void awaitOutput() throws InterruptedException {
        for (Thread t : outputs) {
            t.join();
        }
    }

    private static void pumpOut(AgentClient agent, boolean stderr, String id, String execId, Path to) {
        try (OutputStream out = Files.newOutputStream(to, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (true) {
                byte[] data;
                try {
                    data = agent.read(stderr, id, execId, CHUNK);
                } catch (RuntimeException e) {
                    return; // the agent ends a finished stream with an error (EOF)
                }
                if (data.length == 0) {
                    return;
                }
                out.write(data);
                out.flush();
            }
        } catch (IOException e) {
            log.warn("{} of {}/{} to {}: {}", stderr ? "stderr" : "stdout", id, execId, to, e.getMessage());
        }
    }

    private static void pumpIn(AgentClient agent, String id, String execId, Path from) {
        try (InputStream in = Files.newInputStream(from)) {
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
