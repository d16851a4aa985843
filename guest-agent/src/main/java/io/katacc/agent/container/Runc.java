package io.katacc.agent.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.agent.error.AgentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The runc command line: one method per subcommand the agent uses. */
public final class Runc {

    private static final ObjectMapper LOG_JSON = new ObjectMapper();

    private final String binary;
    private final Path root;

    /** @param root runc's state directory (--root), one per agent so tests don't see each other */
    public Runc(String binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    /**
     * {@code runc create}: the init process is made and waits for {@link #start}; runc exits once it is
     * created, handing the init its own stdio (or, with a console socket, the pty it sent there).
     */
    public ProcessBuilder create(String id, Path bundle, Path pidFile, Path consoleSocket, Path log) {
        List<String> args = new ArrayList<>(List.of("create", "--bundle", bundle.toString(), "--pid-file", pidFile.toString()));
        consoleSocket(args, consoleSocket);
        args.add(id);
        return builder(log, args);
    }

    /** {@code runc exec --detach} with a process.json: the process is left running and runc exits. */
    public ProcessBuilder execDetached(String id, Path processJson, Path pidFile, Path consoleSocket, Path log) {
        List<String> args = new ArrayList<>(List.of("exec", "--detach", "--process", processJson.toString(),
                "--pid-file", pidFile.toString()));
        consoleSocket(args, consoleSocket);
        args.add(id);
        return builder(log, args);
    }

    private static void consoleSocket(List<String> args, Path socket) {
        if (socket != null) {
            args.add("--console-socket");
            args.add(socket.toString());
        }
    }

    /** Lets the created init exec the container's process. */
    public void start(String id) {
        call(List.of("start", id));
    }

    /** runc's own complaint from a {@code --log-format json} log: the messages at error level, joined. */
    public static String errorsIn(Path log) {
        List<String> errors = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                try {
                    var node = LOG_JSON.readTree(line);
                    String level = node.path("level").asText();
                    if (level.equals("error") || level.equals("fatal")) {
                        errors.add(node.path("msg").asText());
                    }
                } catch (IOException notJson) {
                    errors.add(line.strip());
                }
            }
        } catch (IOException e) {
            return "(no runc log: " + e.getMessage() + ")";
        }
        return errors.isEmpty() ? "(runc logged no error)" : String.join("; ", errors);
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

    private ProcessBuilder builder(Path log, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(binary, "--root", root.toString()));
        if (log != null) {
            cmd.addAll(List.of("--log", log.toString(), "--log-format", "json"));
        }
        cmd.addAll(args);
        return new ProcessBuilder(cmd);
    }

    private String call(List<String> args) {
        ProcessBuilder pb = builder(null, args).redirectErrorStream(true);
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
