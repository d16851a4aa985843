package io.katacc.agent.storage;

import io.katacc.agent.error.AgentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** mount(8)/umount(8) from the guest image: the kernel's own option parsing, no reimplementation. Tests record calls by overriding. */
public class Mounter {

    public void mount(String source, Path target, String fstype, List<String> options) {
        List<String> cmd = new ArrayList<>(List.of("mount", "-t", fstype));
        if (!options.isEmpty()) {
            cmd.add("-o");
            cmd.add(String.join(",", options));
        }
        cmd.add(source);
        cmd.add(target.toString());
        run(cmd);
    }

    public void unmount(Path target) {
        run(List.of("umount", target.toString()));
    }

    private static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AgentException(AgentException.Kind.INTERNAL, String.join(" ", cmd) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new AgentException(AgentException.Kind.INTERNAL, String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(AgentException.Kind.INTERNAL, "interrupted: " + String.join(" ", cmd));
        }
    }
}
