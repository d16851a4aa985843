package io.katacc.agent.container;

import com.sun.jna.Native;
import io.katacc.agent.error.AgentException;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Three pipes for a process without a terminal. Detached runc hands its stdio to the container process and
 * exits, so these cannot be the JDK's Process pipes (the JDK closes those when runc exits). The agent's ends
 * are reopened through /proc/self/fd as ordinary JDK streams, whose blocking reads a virtual thread may
 * make; the child's ends are passed to runc by path and closed here once runc has them.
 */
final class StdioPipes implements AutoCloseable {

    final OutputStream stdin;
    final InputStream stdout;
    final InputStream stderr;
    // the pipe2 descriptors: the child's ends (stdin read, stdout write, stderr write), then ours (reopened)
    private final int[] raw;

    private StdioPipes(OutputStream stdin, InputStream stdout, InputStream stderr, int[] raw) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.raw = raw;
    }

    static StdioPipes open() {
        int[] in = pipe();
        int[] out = pipe();
        int[] err = pipe();
        try {
            // the other end is open, so opening the FIFO path of an end never blocks
            return new StdioPipes(new FileOutputStream(self(in[1])), new FileInputStream(self(out[0])),
                    new FileInputStream(self(err[0])), new int[] {in[0], out[1], err[1], in[1], out[0], err[0]});
        } catch (FileNotFoundException e) {
            for (int fd : new int[] {in[0], in[1], out[0], out[1], err[0], err[1]}) {
                Libc.C.close(fd);
            }
            throw new AgentException(AgentException.Kind.INTERNAL, "reopening stdio pipes: " + e.getMessage(), e);
        }
    }

    File childStdin() {
        return self(raw[0]);
    }

    File childStdout() {
        return self(raw[1]);
    }

    File childStderr() {
        return self(raw[2]);
    }

    /** After runc started: our raw descriptors go, so EOF depends on the container's ends alone. */
    void closeChildEnds() {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] >= 0) {
                Libc.C.close(raw[i]);
                raw[i] = -1;
            }
        }
    }

    private static int[] pipe() {
        int[] fds = new int[2];
        if (Libc.C.pipe2(fds, Libc.O_CLOEXEC) != 0) {
            throw new AgentException(AgentException.Kind.INTERNAL, "pipe2 failed: errno " + Native.getLastError());
        }
        return fds;
    }

    private static File self(int fd) {
        return new File("/proc/self/fd/" + fd);
    }

    /** Closes everything, the agent's streams too (a launch that failed). */
    @Override
    public void close() {
        closeChildEnds();
        for (AutoCloseable c : new AutoCloseable[] {stdin, stdout, stderr}) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing what may already be closed
            }
        }
    }
}
