package io.katacc.agent.container;

import io.katacc.agent.error.AgentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One process in a container (init or exec), driven by a foreground runc that relays its stdio
 * and exits with its status. Reads are long polls; an empty read means EOF, as in Kata.
 */
public final class ContainerProcess {

    private final String execId;
    private final java.lang.Process runc;
    private final Path pidFile;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final ReentrantLock stdinLock = new ReentrantLock();
    private final ReentrantLock stdoutLock = new ReentrantLock();
    private final ReentrantLock stderrLock = new ReentrantLock();
    private final CompletableFuture<Integer> exit;
    private volatile boolean stdinClosed;
    private volatile int pid;

    ContainerProcess(String execId, java.lang.Process runc, Path pidFile) {
        this.execId = execId;
        this.runc = runc;
        this.pidFile = pidFile;
        this.stdin = runc.getOutputStream();
        this.stdout = runc.getInputStream();
        this.stderr = runc.getErrorStream();
        this.exit = runc.onExit().thenApply(java.lang.Process::exitValue);
    }

    public String execId() {
        return execId;
    }

    /** Waits until runc wrote the pid file; fails with runc's own message if it exited first. */
    int awaitStarted(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            try {
                if (Files.size(pidFile) > 0) {
                    pid = Integer.parseInt(Files.readString(pidFile).strip());
                    return pid;
                }
            } catch (IOException | NumberFormatException ignored) {
                // not written yet
            }
            if (exit.isDone()) {
                String why = new String(drain(stderr), java.nio.charset.StandardCharsets.UTF_8).strip();
                throw new AgentException(AgentException.Kind.INTERNAL,
                        "runc could not start process " + execId + " (exit " + exit.join() + "): " + why);
            }
            sleep(10);
        }
        runc.destroyForcibly();
        throw new AgentException(AgentException.Kind.INTERNAL, "process " + execId + " did not start in time");
    }

    public int pid() {
        return pid;
    }

    public boolean exited() {
        return exit.isDone();
    }

    public CompletableFuture<Integer> exitFuture() {
        return exit;
    }

    /** Blocks until the process exits; its exit code, or 128+signal when killed. */
    public int waitExit() {
        try {
            return exit.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(AgentException.Kind.INTERNAL, "interrupted waiting for " + execId);
        } catch (ExecutionException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "waiting for " + execId + ": " + e.getCause());
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
            if (stdinClosed) {
                throw new AgentException(AgentException.Kind.FAILED_PRECONDITION, "stdin of " + execId + " is closed");
            }
            stdin.write(data);
            stdin.flush();
            return data.length;
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "write to stdin of " + execId + ": " + e.getMessage());
        } finally {
            stdinLock.unlock();
        }
    }

    public void closeStdin() {
        stdinLock.lock();
        try {
            stdinClosed = true;
            stdin.close();
        } catch (IOException ignored) {
            // already gone with the process
        } finally {
            stdinLock.unlock();
        }
    }

    /** Up to {@code len} bytes of stdout or stderr; blocks until some arrive; empty at EOF. */
    public byte[] read(boolean fromStdout, int len) {
        if (len <= 0) {
            throw AgentException.invalid("read length must be positive, got " + len);
        }
        ReentrantLock lock = fromStdout ? stdoutLock : stderrLock;
        InputStream in = fromStdout ? stdout : stderr;
        lock.lock();
        try {
            byte[] buf = new byte[Math.min(len, 1 << 20)];
            int n = in.read(buf);
            return n <= 0 ? new byte[0] : Arrays.copyOf(buf, n);
        } catch (IOException e) {
            return new byte[0]; // stream closed with the process: EOF
        } finally {
            lock.unlock();
        }
    }

    void signal(int sig) {
        if (pid == 0 || exited()) {
            throw new AgentException(AgentException.Kind.NOT_FOUND, "process " + execId + " is not running");
        }
        Signals.kill(pid, sig);
    }

    void destroy() {
        runc.destroyForcibly();
    }

    private static byte[] drain(InputStream in) {
        try {
            return in.readNBytes(4096);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
