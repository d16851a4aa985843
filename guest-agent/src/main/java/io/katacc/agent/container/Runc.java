package io.katacc.agent.container;

import io.katacc.agent.error.AgentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The runc command line: one method per subcommand the agent uses. */
public final class Runc {

    private final String binary;
    private final Path root;

    /** @param root runc's state directory (--root), one per agent so tests don't see each other */
    public Runc(String binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    /** Foreground {@code runc run}: the returned process lives as long as the container's init and exits with its status. */
    public ProcessBuilder run(String id, Path bundle, Path pidFile) {
        return builder("run", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id);
    }

    /** Foreground {@code runc exec} with a process.json; exits with the process' status. */
    public ProcessBuilder exec(String id, Path processJson, Path pidFile) {
        return builder("exec", "--process", processJson.toString(), "--pid-file", pidFile.toString(), id);
    }

    public void kill(String id, int signal, boolean all) {
        List<String> args = new ArrayList<>(List.of("kill"));
        if (all) {
            args.add("--all");
        }
        args.add(id);
        args.add(Integer.toString(signal));
        call(args);
    }

    public void pause(String id) {
        call(List.of("pause", id));
    }

    public void resume(String id) {
        call(List.of("resume", id));
    }

    public void update(String id, Path resourcesJson) {
        call(List.of("update", "--resources", resourcesJson.toString(), id));
    }

    /** One {@code runc events --stats} sample: cgroup statistics as runc reads them (v1 or v2). */
    public String stats(String id) {
        return call(List.of("events", "--stats", id));
    }

    public String state(String id) {
        return call(List.of("state", id));
    }

    public void deleteForce(String id) {
        call(List.of("delete", "--force", id));
    }

    private ProcessBuilder builder(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary, "--root", root.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    private String call(List<String> args) {
        ProcessBuilder pb = builder(args.toArray(String[]::new)).redirectErrorStream(true);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AgentException(AgentException.Kind.INTERNAL, "runc " + String.join(" ", args) + " timed out");
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new AgentException(AgentException.Kind.INTERNAL,
                        "runc " + args.get(0) + " failed (exit " + p.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(AgentException.Kind.INTERNAL, "interrupted while running runc " + args.get(0));
        }
    }
}
