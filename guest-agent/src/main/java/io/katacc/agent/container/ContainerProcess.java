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
 * One process in a container (init or exec), driven by a foreground runc that exits with its status.
 * Plain stdio flows through runc's pipes; a terminal process through the master of the pty runc has as its
 * stdio ({@link Pty}: stdout carries the terminal, stderr is empty). Reads are long polls;
 * an empty read means EOF, as in Kata.
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
    private volatile Pty pty;

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
                // with a terminal, runc's complaint went to the terminal; runc is gone, so this read ends
                Pty t = pty;
                String why = new String(t != null ? t.read(4096) : drain(stderr), java.nio.charset.StandardCharsets.UTF_8).strip();
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

    void attachTerminal(Pty master) {
        this.pty = master;
        exit.whenComplete((status, e) -> Thread.ofVirtual().name("pty-drain-" + execId).start(master::releaseSlaveWhenDrained));
    }

    public boolean hasTerminal() {
        return pty != null;
    }

    /** TtyWinResize: size our end, then SIGWINCH makes runc copy it to the container's terminal. */
    public void resize(int rows, int cols) {
        Pty t = pty;
        if (t == null) {
            throw new AgentException(AgentException.Kind.FAILED_PRECONDITION, "process " + execId + " has no terminal");
        }
        t.resize(rows, cols);
        if (!runc.isAlive()) {
            return;
        }
        try {
            Signals.kill((int) runc.pid(), SIGWINCH);
        } catch (AgentException e) {
            if (e.kind() == AgentException.Kind.NOT_FOUND) {
                return; // runc exited in between: nobody left to resize for
            }
            throw e;
        }
        // runc applies it from its signal loop; answer once the process' own terminal has the size, as
        // Kata's agent (which sets it directly) does
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline && !exited()) {
            int[] now = Pty.windowSizeOf("/proc/" + pid + "/fd/0");
            if (now == null || (now[0] == rows && now[1] == cols)) {
                return;
            }
            sleep(2);
        }
    }

    private static final int SIGWINCH = 28;

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
            Pty t = pty;
            if (t != null) {
                return t.write(data);
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
            Pty t = pty;
            if (t != null && !stdinClosed && !exited()) {
                // a terminal has no write end to close: end-of-file is the line discipline's VEOF (^D)
                t.write(new byte[] {4});
            }
            stdinClosed = true;
            stdin.close();
        } catch (IOException | AgentException ignored) {
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
        Pty t = pty;
        if (t != null) {
            if (!fromStdout) {
                return new byte[0]; // a terminal merges stderr into its output
            }
            lock.lock();
            try {
                byte[] data = t.read(Math.min(len, 1 << 20));
                if (data.length == 0) {
                    t.close();
                }
                return data;
            } finally {
                lock.unlock();
            }
        }
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
        Pty t = pty;
        if (t != null) {
            t.close();
        }
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
