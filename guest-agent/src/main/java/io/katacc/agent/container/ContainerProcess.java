package io.katacc.agent.container;

import io.katacc.agent.error.AgentException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One process in a container (init or exec). Detached runc made it and left; the agent, its subreaper, waits
 * for its pid ({@link Reaper}). Stdio is either three pipes ({@link StdioPipes}) or the master of the pty runc
 * sent ({@link Pty}: stdout carries the terminal, stderr is empty). Reads are long polls; an empty read
 * means EOF, as in Kata.
 */
public final class ContainerProcess {

    private final String execId;
    private final int pid;
    private final CompletableFuture<Integer> exit;
    private final StdioPipes pipes;
    private final Pty pty;
    private final BlockingIo io;
    private final ReentrantLock stdinLock = new ReentrantLock();
    private final ReentrantLock stdoutLock = new ReentrantLock();
    private final ReentrantLock stderrLock = new ReentrantLock();
    private volatile boolean stdinClosed;
    private int pidfd; // guarded by this; -1 once the process is reaped (or on kernels without pidfds)

    /**
     * Exactly one of {@code pipes} and {@code pty} is non-null; {@code pidfd} (or -1) was opened before the
     * reaper could free the pid, and is owned from here on.
     */
    ContainerProcess(String execId, int pid, int pidfd, CompletableFuture<Integer> exit, StdioPipes pipes, Pty pty,
                     BlockingIo io) {
        this.io = io;
        this.execId = execId;
        this.pid = pid;
        this.pidfd = pidfd; // before the exit hook below, which may run at once
        // waiters see the exit only once the pidfd is gone, so nothing signals a reaped pid through it
        this.exit = exit.whenComplete((status, e) -> closePidfd());
        this.pipes = pipes;
        this.pty = pty;
        if (pty != null) {
            exit.whenComplete((status, e) -> Thread.ofVirtual().name("pty-drain-" + execId).start(pty::releaseSlaveWhenDrained));
        } else {
            // descriptors go as soon as they are done with (stdin at exit, stdout/stderr at EOF), not when a
            // forgotten exec is collected: a pod with an exec probe every few seconds must not pile them up
            exit.whenComplete((status, e) -> Thread.ofVirtual().name("stdin-close-" + execId).start(this::closeStdin));
        }
    }

    public String execId() {
        return execId;
    }

    public int pid() {
        return pid;
    }

    public boolean hasTerminal() {
        return pty != null;
    }

    /** TtyWinResize: the kernel passes the new size on to the process as SIGWINCH. */
    public void resize(int rows, int cols) {
        if (pty == null) {
            throw new AgentException(AgentException.Kind.FAILED_PRECONDITION, "process " + execId + " has no terminal");
        }
        pty.resize(rows, cols);
    }

    public boolean exited() {
        return exit.isDone();
    }

    /** Blocks until the process exits; its exit code, or 128+signal when killed. */
    public int waitExit() {
        try {
            return exit.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(AgentException.Kind.INTERNAL, "interrupted waiting for " + execId);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AgentException a ? a
                    : new AgentException(AgentException.Kind.INTERNAL, "waiting for " + execId + ": " + e.getCause());
        }
    }

    boolean waitExit(long timeoutMillis) {
        try {
            exit.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    public int write(byte[] data) {
        stdinLock.lock();
        try {
            if (stdinClosed || exited()) {
                throw new AgentException(AgentException.Kind.FAILED_PRECONDITION, exited()
                        ? "process " + execId + " has exited" : "stdin of " + execId + " is closed");
            }
            if (pty != null) {
                return io.call(() -> pty.write(data));
            }
            return io.call(() -> {
                pipes.stdin.write(data); // a full pipe blocks until the process reads: not on a carrier
                return data.length;
            });
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "write to stdin of " + execId + ": " + e.getMessage());
        } finally {
            stdinLock.unlock();
        }
    }

    public void closeStdin() {
        stdinLock.lock();
        try {
            if (pty != null) {
                if (!stdinClosed && !exited()) {
                    // a terminal has no write end to close: end-of-file is the line discipline's VEOF (^D)
                    pty.write(new byte[] {4});
                }
            } else {
                pipes.stdin.close();
            }
            stdinClosed = true;
        } catch (IOException | AgentException ignored) {
            stdinClosed = true; // already gone with the process
        } finally {
            stdinLock.unlock();
        }
    }

    /** Up to {@code len} bytes of stdout or stderr; blocks until some arrive; empty at EOF. */
    public byte[] read(boolean fromStdout, int len) {
        if (len <= 0) {
            throw AgentException.invalid("read length must be positive, got " + len);
        }
        int max = Math.min(len, 1 << 20);
        ReentrantLock lock = fromStdout ? stdoutLock : stderrLock;
        if (pty != null && !fromStdout) {
            return new byte[0]; // a terminal merges stderr into its output
        }
        lock.lock();
        try {
            if (pty != null) {
                return pty.read(max);
            }
            InputStream in = fromStdout ? pipes.stdout : pipes.stderr;
            return io.call(() -> {
                byte[] buf = new byte[max];
                int n = in.read(buf);
                if (n <= 0) {
                    in.close(); // EOF: the writers are gone; later reads see the closed stream as EOF too
                    return new byte[0];
                }
                return Arrays.copyOf(buf, n);
            });
        } catch (IOException e) {
            return new byte[0]; // closed by removal: EOF
        } finally {
            lock.unlock();
        }
    }

    synchronized void signal(int sig) {
        if (exited()) {
            throw new AgentException(AgentException.Kind.NOT_FOUND, "process " + execId + " is not running");
        }
        Signals.send(pidfd, pid, sig);
    }

    private synchronized void closePidfd() {
        if (pidfd >= 0) {
            Libc.C.close(pidfd);
            pidfd = -1;
        }
    }

    /** True when signals go through a pidfd (kernel 5.3+). */
    synchronized boolean signalsByPidfd() {
        return pidfd >= 0;
    }

    /** Kills the process if it still runs and lets go of its stdio. */
    void destroy() {
        try {
            signal(9);
        } catch (AgentException ignored) {
            // exited in between
        }
        if (pty != null) {
            pty.close();
        } else {
            pipes.close();
        }
    }
}
